namespace InverseBench.Operators.ImageRestoration;

/// <summary>The inpainting mask families of the reference's <c>mask_generator</c> (<c>mask_type</c> key).</summary>
public enum InpaintingMaskType
{
    /// <summary><c>box</c>: one rectangle of random size inside a margin of <c>R/8</c> is hidden (zeros), the rest observed.</summary>
    Box,

    /// <summary><c>random</c>: a random fraction of the pixels (the same for every channel) is hidden.</summary>
    Random,

    /// <summary><c>extreme</c>: the inverse of a box mask (only the box is observed).</summary>
    Extreme,
}
