namespace Reporting.Infrastructure;

/// <summary>
/// A true/false query parameter (<c>?history=true</c>), read by the endpoint rather than by the framework's binder, so
/// that <c>?history=maybe</c> gets a problem naming the parameter instead of a bare "Bad Request".
/// </summary>
public static class QueryFlag
{
    /// <summary>Absent or empty is false; true/false/1/0 in any letter case; anything else is refused.</summary>
    public static bool TryRead(string? raw, out bool value)
    {
        value = false;
        switch (raw?.Trim().ToLowerInvariant())
        {
            case null or "" or "false" or "0":
                return true;
            case "true" or "1":
                value = true;
                return true;
            default:
                return false;
        }
    }

    public static Refusal Invalid(string name, string? raw) =>
        Refusal.Invalid(name, new($"must be true or false (was \"{Problems.Shorten(raw ?? "")}\").", $"true か false を指定してください（指定値: \"{Problems.Shorten(raw ?? "")}\"）。"));
}
