using System.Text.RegularExpressions;
using InverseBench.Tests.TestUtilities;

namespace InverseBench.Tests.Docs;

/// <summary>The README's C# snippets are the compiled code of <see cref="ReadmeSnippets"/>, and they run.</summary>
[TestFixture]
[Category("Integration")]
public sealed partial class ReadmeSnippetTests
{
    private static string Repository => TestFixtures.RepositoryRoot;

    [TestCase("fluent")]
    [TestCase("di")]
    public void ReadmeShowsTheCompiledSnippet(string name)
    {
        string source = File.ReadAllText(Path.Combine(Repository, "InverseBench.Tests", "Docs", "ReadmeSnippets.cs"));
        var region = Regex.Match(source, $@"// <snippet:{name}>\r?\n(?<body>.*?)\r?\n\s*// </snippet:{name}>", RegexOptions.Singleline);
        region.Success.Should().BeTrue($"ReadmeSnippets.cs has the region '{name}'");
        string readme = File.ReadAllText(Path.Combine(Repository, "README.md"));
        var block = Regex.Match(readme, $@"<!-- snippet: {name} -->\r?\n```csharp\r?\n(?<body>.*?)```", RegexOptions.Singleline);
        block.Success.Should().BeTrue($"README.md has a ```csharp block after <!-- snippet: {name} -->");
        Normalize(block.Groups["body"].Value).Should().EndWith(Normalize(region.Groups["body"].Value),
            "the README block ends with the compiled snippet (it may start with its using directives)");
    }

    [Test]
    public void FluentSnippet_Runs_AndResumesFromItsFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "ib-readme-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            double first = ReadmeSnippets.Fluent(folder);
            double.IsFinite(first).Should().BeTrue();
            File.Exists(Path.Combine(folder, "metrics.json")).Should().BeTrue();
            ReadmeSnippets.Fluent(folder).Should().Be(first, "the second run reuses the stored samples");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void DependencyInjectionSnippet_Runs() => double.IsFinite(ReadmeSnippets.DependencyInjection()).Should().BeTrue();

    private static string Normalize(string code)
    {
        var lines = code.Replace("\r", string.Empty).Split('\n').Where(l => l.Trim().Length > 0).ToArray();
        int indent = lines.Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', lines.Select(l => l[indent..].TrimEnd()));
    }
}
