using System.Text.Json;
using System.Text.RegularExpressions;
using InverseBench.Algorithms.Lbfgs;
using InverseBench.Core.IO;
using InverseBench.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Lbfgs;

/// <summary>The cases of the <c>optim</c> fixture manifest, with their objectives rebuilt from the manifest's description.</summary>
internal static partial class OptimFixtureCases
{
    public const string Folder = "optim";

    public static IEnumerable<TestCaseData> Cases(string optimizer) => TestFixtures.Cases(Folder, (manifest, _) =>
        manifest.GetProperty("cases").EnumerateObject()
            .Where(entry => entry.Value.GetProperty("optimizer").GetString()!.EndsWith(optimizer, StringComparison.Ordinal))
            .Select(entry => new TestCaseData(entry.Name).SetName($"{{m}}({entry.Name})")));

    public static JsonElement Case(string name) => TestFixtures.Manifest(Folder).GetProperty("cases").GetProperty(name);

    public static double Tolerance
    {
        get
        {
            // "Tolerance: 1e-9 relative on the trajectory."
            var text = TestFixtures.Manifest(Folder).GetProperty("description").GetString()!;
            var m = TolerancePattern().Match(text);
            return m.Success
                ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
                : throw new InvalidDataException($"The optim manifest's description states no tolerance: '{text}'.");
        }
    }

    public static Tensor ReadFile(JsonElement c, string key)
    {
        string text = c.GetProperty("files").GetProperty(key).GetString()!;
        return Npy.Read(TestFixtures.FilePath(Folder, text.Split(' ')[0]));
    }

    /// <summary>The objective f(x) as a differentiable tensor expression, from the case's description.</summary>
    public static Func<Tensor, Tensor> Objective(string name, out Tensor x0)
    {
        var c = Case(name);
        string objective = c.GetProperty("objective").GetString()!;
        Func<Tensor, Tensor> f;
        int n;
        if (objective.Contains("Rosenbrock", StringComparison.OrdinalIgnoreCase) || objective.Contains("100(x1-x0^2)^2", StringComparison.Ordinal))
        {
            f = x => (1 - x[0]).pow(2) + 100 * (x[1] - x[0].pow(2)).pow(2);
            n = 2;
        }
        else if (MatrixPattern().Match(objective) is { Success: true } m)
        {
            var a = Npy.Read(TestFixtures.FilePath(Folder, m.Groups[1].Value)).to(float64);
            var b = Npy.Read(TestFixtures.FilePath(Folder, m.Groups[2].Value)).to(float64);
            f = x => (a.matmul(x) - b).pow(2).sum();
            n = (int)a.shape[1];
        }
        else
        {
            throw new InconclusiveException($"Objective '{objective}' of case {name} is not one this test knows.");
        }

        var start = c.GetProperty("x0");
        x0 = start.ValueKind == JsonValueKind.Array
            ? tensor(start.EnumerateArray().Select(v => v.GetDouble()).ToArray(), float64)
            : zeros(n, float64);
        return f;
    }

    /// <summary>A closure computing f and ∇f by autograd, counting its calls.</summary>
    public static OptimizerClosure Closure(Func<Tensor, Tensor> f, Action? onCall = null) => x =>
    {
        onCall?.Invoke();
        using var scope = NewDisposeScope();
        using var enable = enable_grad();
        var input = x.detach().clone().requires_grad_(true);
        var value = f(input);
        var grad = autograd.grad([value], [input])[0];
        return (value.ToDouble(), scope.MoveToOuter(grad.detach()));
    };

    public static void AssertRowClose(Tensor expected, Tensor actual, double rtol, string what)
    {
        using var scope = NewDisposeScope();
        double scale = Math.Max(expected.abs().max().ToDouble(), 1e-300);
        double err = (expected - actual).abs().max().ToDouble();
        (err / scale).Should().BeLessThanOrEqualTo(rtol, $"{what}: expected {expected.str()}, got {actual.str()}");
    }

    [GeneratedRegex(@"A=(\S+\.npy),\s*b=(\S+\.npy)")]
    private static partial Regex MatrixPattern();

    [GeneratedRegex(@"Tolerance:\s*([0-9.eE+-]+)\s*relative")]
    private static partial Regex TolerancePattern();
}
