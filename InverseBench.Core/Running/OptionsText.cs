using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace InverseBench.Core.Running;

/// <summary>
/// A canonical, culture-invariant text of an options object's public readable properties (recursively; delegates and
/// tensors are skipped), used for run fingerprints: two options objects with equal settings give equal text.
/// </summary>
public static class OptionsText
{
    private const int MaxDepth = 6;

    /// <summary>The canonical text of <paramref name="value"/>.</summary>
    public static string Describe(object? value)
    {
        var sb = new StringBuilder();
        Append(sb, value, 0);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, object? value, int depth)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                return;
            case string s:
                sb.Append('"').Append(s.Replace("\"", "\\\"")).Append('"');
                return;
            case double d:
                sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
                return;
            case float f:
                sb.Append(f.ToString("R", CultureInfo.InvariantCulture));
                return;
            case IFormattable formattable when value.GetType().IsPrimitive || value is decimal || value.GetType().IsEnum:
                sb.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                return;
            case bool b:
                sb.Append(b ? "true" : "false");
                return;
            case Delegate:
            case TorchSharp.torch.Tensor:
                sb.Append('~');
                return;
            case IEnumerable sequence:
                sb.Append('[');
                foreach (var item in sequence)
                {
                    Append(sb, item, depth + 1);
                    sb.Append(',');
                }

                sb.Append(']');
                return;
        }

        if (depth >= MaxDepth)
        {
            sb.Append(value.GetType().Name);
            return;
        }

        sb.Append(value.GetType().Name).Append('{');
        foreach (var p in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
                     .OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (typeof(Delegate).IsAssignableFrom(p.PropertyType)) continue;
            sb.Append(p.Name).Append('=');
            Append(sb, p.GetValue(value), depth + 1);
            sb.Append(';');
        }

        sb.Append('}');
    }
}
