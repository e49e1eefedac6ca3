using InverseBench.Sweeps.Results;

namespace InverseBench.Tests.Sweeps;

[TestFixture]
public sealed class ResultStoreLocationTests
{
    [Test]
    public void ToNpgsql_ReadsUserPasswordHostPortDatabaseAndOptions_AndHidesThePassword()
    {
        var (connectionString, shown) = ResultStoreLocation.ToNpgsql("postgres://ib%40lab:s3cr%3At@db.example.org:6543/sweeps?sslmode=disable&timeout=7");

        var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        b.Username.Should().Be("ib@lab");
        b.Password.Should().Be("s3cr:t");
        b.Host.Should().Be("db.example.org");
        b.Port.Should().Be(6543);
        b.Database.Should().Be("sweeps");
        b.SslMode.Should().Be(Npgsql.SslMode.Disable);
        b.Timeout.Should().Be(7);
        shown.Should().Be("postgres://ib@lab@db.example.org:6543/sweeps").And.NotContain("s3cr");
    }

    [TestCase("postgres://h/db", true)]
    [TestCase("postgresql://h/db", true)]
    [TestCase("sqlite:///tmp/x.db", false)]
    [TestCase("results.db", false)]
    public void IsPostgres_RecognisesBothSchemes(string location, bool expected) => ResultStoreLocation.IsPostgres(location).Should().Be(expected);

    [Test]
    public void SqlitePath_AcceptsUris_RelativeAndPlainPaths()
    {
        ResultStoreLocation.SqlitePath("sqlite:///var/tmp/r.db").Should().Be("/var/tmp/r.db");
        ResultStoreLocation.SqlitePath("sqlite:sub/r.db").Should().Be(Path.GetFullPath("sub/r.db"));
        ResultStoreLocation.SqlitePath("sub/r.db").Should().Be(Path.GetFullPath("sub/r.db"));
    }

    [TestCase("mysql://h/db", "Unknown results location")]
    [TestCase("sqlite://", "names no file")]
    [TestCase("postgres://h/db?nosuchoption=1", "unknown PostgreSQL option 'nosuchoption'")]
    public void MalformedLocations_AreFormatErrors_ThatSayWhy(string location, string message)
    {
        var act = () => ResultStoreLocation.Open(location).Dispose();

        act.Should().Throw<FormatException>().WithMessage($"*{message}*");
    }
}
