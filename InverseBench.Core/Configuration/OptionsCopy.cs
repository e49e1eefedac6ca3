using System.Collections;
using System.Reflection;

namespace InverseBench.Core.Configuration;

/// <summary>
/// Deep copies of options objects, so that a component keeps a private snapshot of the options it was built with and later
/// changes to the caller's object have no effect. Strings, value types, delegates, tensors and types from outside
/// InverseBench are shared; arrays, lists and InverseBench option classes are copied field by field.
/// </summary>
public static class OptionsCopy
{
    private static readonly MethodInfo MemberwiseCloneMethod =
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

    /// <summary>A deep copy of <paramref name="options"/>.</summary>
    public static T Deep<T>(T options) where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        return (T)Copy(options, new Dictionary<object, object>(ReferenceEqualityComparer.Instance))!;
    }

    private static object? Copy(object? value, Dictionary<object, object> seen)
    {
        if (value is null) return null;
        var type = value.GetType();
        if (type.IsValueType || value is string || value is Delegate || value is TorchSharp.torch.Tensor || value is Type) return value;
        if (seen.TryGetValue(value, out var done)) return done;
        if (value is Array array)
        {
            var copy = (Array)array.Clone();
            seen[value] = copy;
            if (!type.GetElementType()!.IsValueType)
            {
                for (int i = 0; i < copy.Length; i++) copy.SetValue(Copy(array.GetValue(i), seen), i);
            }

            return copy;
        }

        if (value is IList list && type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var copy = (IList)Activator.CreateInstance(type)!;
            seen[value] = copy;
            foreach (var item in list) copy.Add(Copy(item, seen));
            return copy;
        }

        if (type.Assembly.GetName().Name?.StartsWith("InverseBench", StringComparison.Ordinal) != true) return value;
        var clone = MemberwiseCloneMethod.Invoke(value, null)!;
        seen[value] = clone;
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsValueType) continue;
                field.SetValue(clone, Copy(field.GetValue(value), seen));
            }
        }

        return clone;
    }
}
