using Reporting.Infrastructure;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

using Reporting.Features.Submissions;

namespace Reporting.Features.Imports;

/// <summary>
/// One row of an import as read, before validation. <see cref="Value"/> is the raw text or JSON number;
/// <see cref="ValueProblem"/> says why the row's cells cannot be trusted to be where the header puts them.
/// </summary>
public sealed record ImportRow(int Row, string? Indicator, string? Series, string? Year, string? Value, bool ValueIsNumber, string? Status, string? Note,
    Message? ValueProblem = null);


/// <summary>More rows than one request may carry: a 413.</summary>

/// <summary>
/// Streams rows out of a CSV (UTF-8 with or without BOM, or Shift_JIS as Excel exports it) or a JSON array, without
/// holding the body in memory as text. Column names are English or the Japanese headings of the template.
/// </summary>
public static class ImportParser
{
    public const int MaxRows = 10_000;

    private static readonly Dictionary<string, string> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["indicator"] = "indicator", ["指標"] = "indicator", ["指標id"] = "indicator",
        ["series"] = "series", ["系列"] = "series",
        ["year"] = "year", ["年"] = "year", ["年度"] = "year",
        ["value"] = "value", ["値"] = "value",
        ["status"] = "status", ["状態"] = "status", ["区分"] = "status",
        ["note"] = "note", ["備考"] = "note",
    };

    static ImportParser() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The text encoding named by a Content-Type charset: UTF-8 unless Shift_JIS (or its Windows name) is given.</summary>
    public static Encoding EncodingOf(string? charset) => charset?.Trim('"').ToLowerInvariant() switch
    {
        null or "" or "utf-8" or "utf8" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
        "shift_jis" or "shift-jis" or "sjis" or "windows-31j" or "cp932" or "ms932" => Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
        var other => throw Unreadable("Content-Type", new($"charset \"{other}\" is not supported: use utf-8 or shift_jis.", $"文字コード「{other}」には対応していません。UTF-8 か Shift_JIS のファイルにしてください。")),
    };

    /// <summary>
    /// The encoding of a file a person chose, which no Content-Type names: UTF-8 when it starts with a BOM or is valid
    /// UTF-8 throughout, otherwise Shift_JIS (what Excel in Japanese writes for "CSV (comma delimited)").
    /// </summary>
    public static Encoding GuessEncoding(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("\uFEFF"u8) || System.Text.Unicode.Utf8.IsValid(content)) return EncodingOf("utf-8");
        return EncodingOf("shift_jis");
    }

    public static async IAsyncEnumerable<ImportRow> ReadCsvAsync(Stream body, Encoding encoding, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The BOM is handled here (not by StreamReader, which would swap in a lenient decoder): invalid bytes must fail.
        using var reader = new StreamReader(body, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024);
        Dictionary<string, int>? header = null;
        var row = 0;
        await foreach (var fields in Records(reader, cancellationToken))
        {
            if (header is null)
            {
                header = ReadHeader(fields.Select((f, i) => i == 0 ? f.TrimStart('\uFEFF') : f).ToList());
                continue;
            }
            if (fields.Count == 1 && fields[0].Length == 0) continue; // blank line
            if (++row > MaxRows) throw TooManyRows();
            string? Get(string name) => header.TryGetValue(name, out var i) && i < fields.Count ? Clean(fields[i]) : null;
            // More cells than the header: most often a number written with a comma and no quotes (3,2), which must not
            // be read as 3 with a stray cell.
            var stray = fields.Count > header.Count && fields.Skip(header.Count).Any(f => f.Trim().Length > 0)
                ? new Message($"the row has {fields.Count} cells, more than the header's {header.Count}: quote a number written with a comma (\"1,234\"), or write it without one.",
                    $"この行は{fields.Count}列あり、見出しの{header.Count}列より多くなっています。カンマを含む数値は \"1,234\" のように引用符で囲むか、カンマなしで書いてください。")
                : null;
            yield return new ImportRow(row, Get("indicator"), Get("series"), Get("year"), Get("value"), false, Get("status"), Get("note"), stray);
        }
        if (header is null) throw Unreadable("body", new("is empty: send a header row (indicator,series,year,value,status,note) and data rows.",
            "ファイルが空です。見出し行（indicator,series,year,value,status,note）とデータ行を入れてください。"));
    }

    public static async IAsyncEnumerable<ImportRow> ReadJsonAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var row = 0;
        var items = JsonSerializer.DeserializeAsyncEnumerable(body, Infrastructure.Json.Info<JsonElement>(), cancellationToken);
        await using var e = items.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await e.MoveNextAsync();
            }
            catch (JsonException ex)
            {
                throw Unreadable("body", new($"is not a JSON array of rows (invalid JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}).",
                    $"行のJSON配列として読めません（{ex.LineNumber + 1}行目、{ex.BytePositionInLine + 1}バイト目）。"));
            }
            if (!more) yield break;
            if (++row > MaxRows) throw TooManyRows();
            var item = e.Current;
            if (item.ValueKind != JsonValueKind.Object)
            {
                yield return new ImportRow(row, null, null, null, null, false, null, null);
                continue;
            }
            string? Text(string name) => item.TryGetProperty(name, out var p) ? p.ValueKind switch
            {
                JsonValueKind.String => Clean(p.GetString()!),
                JsonValueKind.Number => p.GetRawText(),
                JsonValueKind.Null => null,
                _ => p.GetRawText(),
            } : null;
            var isNumber = item.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number;
            yield return new ImportRow(row, Text("indicator"), Text("series"), Text("year"), Text("value"), isNumber, Text("status"), Text("note"));
        }
    }

    /// <summary>Parses a value cell: Excel may write full-width digits or thousands separators (<see cref="Numerals"/>).</summary>
    public static Message? ParseNumber(string? raw, bool fromJsonNumber, out double value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(raw)) return ValueRules.Required;
        if (fromJsonNumber)
        {
            return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) ? null : ValueRules.CheckMagnitude(double.NaN);
        }
        return Numerals.ParseDecimal(raw, out value);
    }

    private static Dictionary<string, int> ReadHeader(IReadOnlyList<string> fields)
    {
        var header = new Dictionary<string, int>();
        for (var i = 0; i < fields.Count; i++)
        {
            var name = Clean(fields[i]) ?? "";
            if (!Columns.TryGetValue(name, out var column))
            {
                throw Unreadable("header", new($"column \"{Problems.Shorten(name)}\" is unknown: use indicator, series, year, value, status, note.",
                    $"見出しの「{Problems.Shorten(name)}」は使えない列名です。indicator（指標）、series（系列）、year（年度）、value（値）、status（区分）、note（備考）を使ってください。"));
            }
            if (!header.TryAdd(column, i)) throw Unreadable("header", new($"column \"{column}\" appears twice.", $"見出しに「{column}」の列が2つあります。"));
        }
        foreach (var required in new[] { "indicator", "year", "value" })
        {
            if (!header.ContainsKey(required)) throw Unreadable("header", new($"column \"{required}\" is required.", $"見出しに「{required}」の列が必要です。"));
        }
        return header;
    }

    private static string? Clean(string field)
    {
        var trimmed = field.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }


    /// <summary>RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks.</summary>
    private static async IAsyncEnumerable<IReadOnlyList<string>> Records(StreamReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var atFieldStart = true;
        var buffer = new char[8192];
        int read;
        var pendingQuote = false;
        var previousCr = false;
        while ((read = await ReadAsync(reader, buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                var afterCr = previousCr;
                previousCr = false;
                if (pendingQuote)
                {
                    pendingQuote = false;
                    if (c == '"') { field.Append('"'); continue; }
                    quoted = false;
                }
                if (quoted)
                {
                    if (c == '"') pendingQuote = true;
                    else field.Append(c);
                    continue;
                }
                switch (c)
                {
                    case '"' when atFieldStart:
                        quoted = true;
                        atFieldStart = false;
                        break;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        atFieldStart = true;
                        break;
                    case '\n' when afterCr:
                        // The LF of a CRLF: the record already ended at the CR.
                        break;
                    case '\r' or '\n':
                        // CRLF (Windows), LF (Unix) and a lone CR (old Mac Excel) all end a record.
                        fields.Add(field.ToString());
                        field.Clear();
                        atFieldStart = true;
                        previousCr = c == '\r';
                        yield return fields;
                        fields = [];
                        break;
                    default:
                        if (char.IsControl(c) && c != '\t') throw Unreadable("body", new("contains a control character: is it a CSV file?", "制御文字が含まれています。CSVファイルか確認してください。"));
                        field.Append(c);
                        atFieldStart = false;
                        break;
                }
            }
        }
        if (quoted && !pendingQuote) throw Unreadable("body", new("ends inside a quoted field.", "引用符（\"）で始まった項目が閉じられないまま、ファイルが終わっています。"));
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return fields;
        }
    }

    private static async Task<int> ReadAsync(StreamReader reader, char[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(buffer.AsMemory(), cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            throw Unreadable("body", new("is not valid text in the declared charset: a file saved by Excel in Japanese is usually Shift_JIS (send Content-Type: text/csv; charset=shift_jis).",
                "指定の文字コードで読めない文字があります。日本語のExcelで保存したCSVは通常 Shift_JIS です。"));
        }
    }

    /// <summary>The body cannot be read as an import at all (encoding, header, JSON shape): refused whole, naming what to fix.</summary>
    private static RefusedException Unreadable(string field, Message message) => new(Refusal.Invalid(field, message));

    private static RefusedException TooManyRows() =>
        new(new Refusal(RefusalKind.TooLarge, new("Too many rows", "行数が多すぎます"),
            new($"An import carries at most {MaxRows:N0} rows; split the file.", $"1回に取り込めるのは{MaxRows:N0}行までです。ファイルを分けてください。")));
}
