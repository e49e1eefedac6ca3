using InverseBench.Operators.ImageRestoration.Internal;
using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration.Functional;

/// <summary>
/// The reference's inpainting masks (<c>mask_generator</c> in <c>inverse_problems/image_restore.py</c>), drawn from numpy's
/// legacy generator in the reference's order. 1 = observed, 0 = hidden; shape <c>[1, 1, R, R]</c> float32 (the reference
/// keeps <c>mask[0:1, 0:1]</c> and broadcasts it over channels).
/// </summary>
internal static class InpaintingMask
{
    /// <summary>
    /// Draws a mask. Box: <c>h = randint(lo, hi)</c>, <c>w = randint(lo, hi)</c>, <c>t = randint(m, R − m − h)</c>,
    /// <c>l = randint(m, R − m − w)</c> with <c>m = R/8</c>; zeros on <c>[t, t+h) × [l, l+w)</c>. Random:
    /// <c>p = uniform(lo, hi)</c>, then <c>choice(R², int(R²·p), replace=False)</c> pixels set to 0. Extreme: 1 − box.
    /// </summary>
    public static Tensor Draw(InpaintingMaskType type, int resolution, (int Low, int High) lengthRange, (double Low, double High) probabilityRange,
        NumpyRandomState random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var values = new float[resolution * resolution];
        switch (type)
        {
            case InpaintingMaskType.Box:
            case InpaintingMaskType.Extreme:
            {
                var (top, left, height, width) = Box(resolution, lengthRange, random);
                bool extreme = type == InpaintingMaskType.Extreme;
                for (int i = 0; i < resolution; i++)
                {
                    for (int j = 0; j < resolution; j++)
                    {
                        bool inside = i >= top && i < top + height && j >= left && j < left + width;
                        values[i * resolution + j] = inside == extreme ? 1f : 0f;
                    }
                }

                break;
            }

            case InpaintingMaskType.Random:
            {
                double probability = random.Uniform(probabilityRange.Low, probabilityRange.High);
                int total = resolution * resolution;
                int count = (int)(total * probability);
                Array.Fill(values, 1f);
                foreach (int pixel in random.ChoiceWithoutReplacement(total, count)) values[pixel] = 0f;
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown inpainting mask type.");
        }

        return tensor(values, dtype: ScalarType.Float32).reshape(1, 1, resolution, resolution);
    }

    /// <summary>The box of <c>_retrieve_box</c>/<c>random_sq_bbox</c>: (top, left, height, width).</summary>
    public static (int Top, int Left, int Height, int Width) Box(int resolution, (int Low, int High) lengthRange, NumpyRandomState random)
    {
        int margin = resolution / 8;
        int height = (int)random.RandInt(lengthRange.Low, lengthRange.High);
        int width = (int)random.RandInt(lengthRange.Low, lengthRange.High);
        int maxTop = resolution - margin - height, maxLeft = resolution - margin - width;
        if (maxTop <= margin || maxLeft <= margin)
        {
            throw new ArgumentException(
                $"An inpainting box of {height}×{width} does not fit a {resolution}×{resolution} image with a margin of {margin} (R/8) on each side; lower mask_len_range [{lengthRange.Low}, {lengthRange.High}).");
        }

        int top = (int)random.RandInt(margin, maxTop);
        int left = (int)random.RandInt(margin, maxLeft);
        return (top, left, height, width);
    }
}
