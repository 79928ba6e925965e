using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Reporting.Infrastructure.Web;

/// <summary>
/// The web interface's own files (style sheet, script, icon), embedded in the app: nothing is fetched from elsewhere.
/// Each is addressed with a fingerprint of its content, so a browser may keep it for a year and still never use an old one.
/// </summary>
public static class Assets
{
    public sealed record Asset(string Name, string ContentType, byte[] Content, string Fingerprint);

    private static readonly FrozenDictionary<string, Asset> All = new[]
    {
        Load("ui.css", "text/css; charset=utf-8"),
        Load("ui.js", "text/javascript; charset=utf-8"),
        Load("favicon.svg", "image/svg+xml"),
    }.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);

    public static Asset? Find(string name) => All.GetValueOrDefault(name);

    public static string Url(string name) => $"/assets/{name}?v={All[name].Fingerprint}";

    private static Asset Load(string name, string contentType)
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream("Reporting.Web." + name)
            ?? throw new InvalidOperationException($"The web asset {name} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        return new Asset(name, contentType, content, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    }
}
