using System.Reflection;

namespace Reporting.Tests.Infrastructure;

public static class Repo
{
    private static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

    public static string Root { get; } = Path.GetFullPath(Metadata("RepositoryRoot"));
    public static string BicepCli { get; } = Metadata("BicepPath");
    public static string Path_(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}
