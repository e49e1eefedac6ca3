using InverseBench.Core.Checkpoints;
using InverseBench.Core.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Operators.ImageRestoration.Evaluation;

/// <summary>
/// LPIPS as piq 0.8.0's <c>LPIPS(replace_pooling=True, distance='mse', reduction='none')</c> — the metric of the
/// reference's <c>eval.Image</c>: torchvision VGG16 <c>features</c> with every max-pool replaced by a 2×2 average pool,
/// inputs normalised with the ImageNet mean/std, the activations after <c>relu1_2, relu2_2, relu3_3, relu4_3,
/// relu5_3</c> (modules 3, 8, 15, 22, 29) each divided by its channel L2 norm (+1e-10), and
/// <c>Σ_l Σ_c mean_hw(w_l · (f_x − f_y)²)</c> with piq's LPIPS channel weights <c>w_l</c>. Lower is better.
/// </summary>
/// <remarks>
/// <para>Weights are not bundled. Convert them once with Python (torchvision's <c>vgg16-397923af.pth</c> and piq's
/// <c>lpips_weights.pt</c> from its v0.4.0 release, the files piq downloads) into one flat state dict:</para>
/// <code>
/// import torch, torchvision
/// vgg = torchvision.models.vgg16(weights="IMAGENET1K_V1").features.state_dict()
/// lpips = torch.hub.load_state_dict_from_url(
///     "https://github.com/photosynthesis-team/piq/releases/download/v0.4.0/lpips_weights.pt")
/// sd = {f"features.{k}": v.float() for k, v in vgg.items()}
/// sd.update({f"lpips.{i}": w.float().reshape(1, -1, 1, 1) for i, w in enumerate(lpips)})
/// torch.save(sd, "checkpoints/lpips_vgg16.pt")
/// </code>
/// <para>Keys: <c>features.{i}.weight/bias</c> for the 13 convolutions (i = 0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26,
/// 28) and <c>lpips.0</c> … <c>lpips.4</c> of shape <c>(1, C_l, 1, 1)</c>. The trailing pool (module 30) is not run: it
/// does not change the result and fails below 32 px.</para>
/// </remarks>
public sealed class LpipsMetric : IDisposable
{
    /// <summary>The default location of the converted weights, relative to the working directory (like the priors).</summary>
    public const string DefaultWeightsPath = "checkpoints/lpips_vgg16.pt";

    private static readonly int[] ConvolutionIndices = [0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28];
    private static readonly int[] PoolAfter = [2, 7, 14, 21];          // the ReLU after which piq's (average) pool follows
    private static readonly int[] FeatureAfter = [2, 7, 14, 21, 28];   // relu{1_2, 2_2, 3_3, 4_3, 5_3} follow these convs
    private static readonly double[] ImageNetMean = [0.485, 0.456, 0.406];
    private static readonly double[] ImageNetStd = [0.229, 0.224, 0.225];
    private readonly List<(int Index, Tensor Weight, Tensor Bias)> _convolutions = [];
    private readonly List<Tensor> _layerWeights = [];

    /// <summary>Loads converted weights (see the remarks).</summary>
    /// <param name="weightsPath">The converted state dict.</param>
    /// <param name="device">Device of the network (CPU when null).</param>
    /// <exception cref="FileNotFoundException">The file does not exist; the message says how to produce it.</exception>
    /// <exception cref="CheckpointException">The file is not a torch state dict or lacks a key / has a wrong shape.</exception>
    public LpipsMetric(string weightsPath, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(weightsPath);
        TorchRuntime.EnsureInitialized();
        if (!File.Exists(weightsPath))
        {
            throw new FileNotFoundException(
                $"LPIPS weights '{Path.GetFullPath(weightsPath)}' do not exist; convert torchvision's VGG16 and piq's lpips_weights.pt as described in the remarks of {nameof(LpipsMetric)} (the README shows the script).",
                weightsPath);
        }

        WeightsPath = weightsPath;
        var dev = device ?? CPU;
        using var scope = NewDisposeScope();
        using var stateDict = Checkpoint.ReadStateDict(weightsPath);
        Tensor Take(string key, params long[] shape)
        {
            if (!stateDict.TryGetValue(key, out var t)) throw new CheckpointException($"LPIPS weights '{weightsPath}' lack the key '{key}'.") { FilePath = weightsPath };
            if (!t.shape.SequenceEqual(shape))
            {
                throw new CheckpointException(
                    $"LPIPS weights '{weightsPath}': '{key}' has shape [{string.Join(", ", t.shape)}]; expected [{string.Join(", ", shape)}].") { FilePath = weightsPath };
            }

            return t.to(dev).to_type(ScalarType.Float32).clone().DetachFromDisposeScope();
        }

        long inChannels = 3;
        foreach (int index in ConvolutionIndices)
        {
            long outChannels = index switch { < 5 => 64, < 10 => 128, < 17 => 256, _ => 512 };
            _convolutions.Add((index, Take($"features.{index}.weight", outChannels, inChannels, 3, 3), Take($"features.{index}.bias", outChannels)));
            inChannels = outChannels;
        }

        long[] layerChannels = [64, 128, 256, 512, 512];
        for (int l = 0; l < layerChannels.Length; l++) _layerWeights.Add(Take($"lpips.{l}", 1, layerChannels[l], 1, 1));
    }

    /// <summary>The file the weights came from.</summary>
    public string WeightsPath { get; }

    /// <summary>LPIPS per item, <c>[N]</c> float32, of images <c>[N, 3, H, W]</c> (piq expects <c>[0, 1]</c>; H, W ≥ 16).</summary>
    public Tensor Compute(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.dim() != 4 || prediction.shape[1] != 3 || !prediction.shape.SequenceEqual(target.shape))
        {
            throw new ArgumentException(
                $"LPIPS needs two RGB batches of the same shape [N, 3, H, W]; got [{string.Join(", ", prediction.shape)}] and [{string.Join(", ", target.shape)}].");
        }

        using var scope = NewDisposeScope();
        var device = _layerWeights[0].device;
        var fx = Features(prediction.to(device).to_type(ScalarType.Float32));
        var fy = Features(target.to(device).to_type(ScalarType.Float32));
        var perLayer = new List<Tensor>();
        for (int l = 0; l < fx.Count; l++) perLayer.Add(((fx[l] - fy[l]).square() * _layerWeights[l]).mean([2L, 3L]));
        return scope.MoveToOuter(cat(perLayer.ToArray(), 1).sum(1));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, w, b) in _convolutions)
        {
            w.Dispose();
            b.Dispose();
        }

        foreach (var w in _layerWeights) w.Dispose();
        _convolutions.Clear();
        _layerWeights.Clear();
    }

    private List<Tensor> Features(Tensor images)
    {
        var mean = tensor(ImageNetMean, dtype: ScalarType.Float32, device: images.device).reshape(1, 3, 1, 1);
        var std = tensor(ImageNetStd, dtype: ScalarType.Float32, device: images.device).reshape(1, 3, 1, 1);
        var x = (images - mean) / std;
        var features = new List<Tensor>();
        foreach (var (index, weight, bias) in _convolutions)
        {
            x = F.relu(F.conv2d(x, weight, bias, padding: [1, 1]));
            if (FeatureAfter.Contains(index))
            {
                var norm = x.square().sum(1, keepdim: true).sqrt();
                features.Add(x / (norm + 1e-10));
            }

            if (PoolAfter.Contains(index)) x = F.avg_pool2d(x, 2, 2);
        }

        return features;
    }
}
