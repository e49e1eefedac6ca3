namespace InverseBench.Core.Runtime;

/// <summary>
/// Thrown when TorchSharp's native backend cannot be used: no native package is referenced, the native library fails
/// to load, or a device (e.g. CUDA) is requested but absent. The message names the package or setting that fixes it.
/// </summary>
public sealed class TorchBackendException : InvalidOperationException
{
    /// <summary>Creates the exception with a message.</summary>
    public TorchBackendException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public TorchBackendException(string message, Exception innerException) : base(message, innerException) { }
}
