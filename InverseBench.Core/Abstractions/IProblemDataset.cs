using static TorchSharp.torch;

namespace InverseBench.Core.Abstractions;

/// <summary>A test set of an inverse problem: targets in the prior's normalised space, addressed by index.</summary>
public interface IProblemDataset
{
    /// <summary>Number of test samples.</summary>
    int Count { get; }

    /// <summary>The identifier of sample <paramref name="index"/> (the reference's <c>id_list</c> entry, used in file names).</summary>
    string GetId(int index);

    /// <summary>The target of sample <paramref name="index"/>, normalised, shape <c>[1, ..signal]</c> float32 (a fresh tensor).</summary>
    Tensor GetTarget(int index);
}
