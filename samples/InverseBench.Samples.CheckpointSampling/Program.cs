// Loads a diffusion prior from a reference-layout checkpoint (a torch.save file holding {'ema': state_dict, ...}) and draws
// unconditional samples from it with the EDM sampler.
//   dotnet run -- <checkpoint.pt> [preset]     a reference checkpoint, e.g. ns-5m.pt (architecture from the preset, or
//                                              recognised from the keys when no preset is given)
//   dotnet run                                 trains a tiny prior for a few steps and loads the checkpoint it writes
using InverseBench.Core.Checkpoints;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.IO;
using InverseBench.Core.Modules;
using InverseBench.Core.Priors;
using InverseBench.Core.Priors.Pretrained;
using InverseBench.Operators.NavierStokes.Data;
using InverseBench.Training;
using InverseBench.Training.Losses;
using static TorchSharp.torch;

// The `model` block of a reference pretrain config (configs/pretrain/navier-stokes.yaml), shrunk to 16×16 pixels.
var model = new Dictionary<string, object?>
{
    ["_target_"] = "models.precond.EDMPrecond", ["model_type"] = "DhariwalUNet", ["img_resolution"] = 16, ["img_channels"] = 1,
    ["model_channels"] = 16, ["channel_mult"] = new[] { 1, 2 }, ["attn_resolutions"] = new[] { 8 }, ["num_blocks"] = 1, ["dropout"] = 0.0,
};
string output = Path.GetFullPath(Path.Combine("exps", "checkpoint-sampling"));
Directory.CreateDirectory(output);

string checkpoint = args.Length > 0 ? args[0] : TrainTinyPrior(model, output);
using PreconditionedPrior prior = args.Length > 1 ? Priors.FromCheckpoint(checkpoint, args[1])
    : args.Length > 0 ? Priors.FromCheckpoint(checkpoint)
    : Priors.FromCheckpoint(checkpoint, new ConfigSection(model, "model"), "tiny-navier-stokes");
using (var stateDict = Checkpoint.ReadStateDict(checkpoint))
    Console.WriteLine($"Loaded {checkpoint}: {stateDict.Count} tensors, {prior.Channels}×{prior.Resolution}×{prior.Resolution} prior '{prior.Name}'");

// EDM sampler: 18 steps from σ = 80 to 0.002 on the poly-7 time grid, probability-flow ODE, seeded.
var schedule = new NoiseSchedule(new NoiseScheduleOptions
{
    NumSteps = 18, SigmaMax = 80, SigmaMin = 0.002, Schedule = SigmaScheduleKind.Linear, Timestep = "poly-7",
});
using var generator = new Generator(0);
using var start = DiffusionSampler.StartNoise([4, prior.Channels, prior.Resolution, prior.Resolution], schedule, generator);
using var samples = DiffusionSampler.Sample(prior, start, schedule, sde: false, generator);
string file = Path.Combine(output, "samples.npy");
Npy.Write(file, samples);
using (NewDisposeScope())
    Console.WriteLine($"Drew {samples.shape[0]} samples: mean {samples.mean().item<float>():F3}, std {samples.std().item<float>():F3}, " +
                      $"range [{samples.min().item<float>():F2}, {samples.max().item<float>():F2}] → {file}");

// A few EDM training steps on synthetic Navier–Stokes vorticity; returns the checkpoint the trainer writes
// (ckpts/ckpt_<steps>.pt with 'net', 'ema', 'optimizer', 'scheduler' and 'training_steps', as the reference's train.py).
static string TrainTinyPrior(Dictionary<string, object?> model, string output)
{
    const int Steps = 40;
    using var data = new SyntheticNavierStokesDataset(new SyntheticNavierStokesOptions { Count = 32, Resolution = 16 }, new Generator(1));
    using var net = ReferenceModelConfig.Build("models.precond.EDMPrecond", model, ParameterInitialization.Reference, seed: 0);
    using var ema = ReferenceModelConfig.Build("models.precond.EDMPrecond", model);
    var options = new TrainingOptions { BatchSize = 8, NumSteps = Steps, LearningRate = 1e-3, WarmupSteps = 5, SaveEvery = Steps, LogEvery = 10 };
    using var trainer = new DiffusionTrainer(net, ema, new EdmLoss(), options);
    var result = trainer.Train(data, Path.Combine(output, "ckpts"), new PrintProgress());
    using (NewDisposeScope())
    {
        float std = data.GetTarget(0).std().item<float>();
        Console.WriteLine($"Trained a tiny prior for {Steps} steps on {data.Count} fields (field 0: std {std:F3}) → {result.Checkpoints[^1]}");
    }
    return result.Checkpoints[^1];
}

/// <summary>Prints training progress synchronously (in order with the other output).</summary>
sealed class PrintProgress : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => Console.WriteLine($"train: step {value.Step}/{value.NumSteps}, loss {value.Loss:F3}");
}
