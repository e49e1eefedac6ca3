using InverseBench.Core.IO.Lmdb;

namespace InverseBench.Tests.Core.IO.Lmdb;

[TestFixture]
public sealed class IdListTests
{
    [TestCase("0-9", new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    [TestCase("1-10", new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    [TestCase("1,3,5", new[] { 1, 3, 5 })]
    [TestCase("0-2,7,4-5", new[] { 0, 1, 2, 7, 4, 5 })]
    [TestCase("5", new[] { 5 })]
    [TestCase("3-1", new int[0])]
    [TestCase("2,2", new[] { 2, 2 })]
    [TestCase(" 4", new[] { 4 })]
    public void ParsesLikeTheReference(string text, int[] expected) => IdList.Parse(text).Should().Equal(expected);

    [TestCase("")]
    [TestCase("a")]
    [TestCase("1-")]
    [TestCase("1 - 3")]
    [TestCase("1,,2")]
    public void RejectsWhatTheReferenceRejects(string text)
    {
        var act = () => IdList.Parse(text);
        act.Should().Throw<FormatException>();
    }
}
