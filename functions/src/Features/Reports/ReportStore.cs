using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Reporting.Features.Reports;

/// <summary>
/// Reports in a private blob container: <c>fy{year}/{id}/</c> holds snapshot.json, summary.csv, summary.json and,
/// written last, report.pdf.
/// The id starts with the UTC creation time, so names sort by age. The PDF is uploaded last: a listed report always
/// has its snapshot. Blob names are built from parsed numbers and generated ids, never from raw input.
/// </summary>
public sealed partial class ReportStore(BlobContainerClient container)
{
    public const string PdfName = "report.pdf";
    public const string SnapshotName = "snapshot.json";
    public const string SummaryCsvName = "summary.csv";
    public const string SummaryJsonName = "summary.json";

    [GeneratedRegex("^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    public static string NewId(DateTimeOffset createdAt) =>
        $"{createdAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// Uploads the snapshot and the summaries first and the PDF last, each only if absent: a listed report (a PDF)
    /// always has everything beside it.
    /// </summary>
    public async Task<ReportInfo> SaveAsync(int fiscalYear, string id, DateTimeOffset createdAt, string trigger, ReportArtifacts artifacts,
        CancellationToken cancellationToken = default)
    {
        var prefix = Prefix(fiscalYear, id);
        var metadata = new Dictionary<string, string>
        {
            ["fiscalYear"] = fiscalYear.ToString(CultureInfo.InvariantCulture),
            ["createdAt"] = createdAt.ToString("O", CultureInfo.InvariantCulture),
            ["trigger"] = trigger,
            ["snapshotSha256"] = artifacts.SnapshotSha256,
        };
        async Task Upload(string name, byte[] content, string contentType) =>
            await container.GetBlobClient(prefix + name).UploadAsync(new BinaryData(content), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = metadata,
                Conditions = new BlobRequestConditions { IfNoneMatch = Azure.ETag.All },
            }, cancellationToken);

        await Task.WhenAll(
            Upload(SnapshotName, artifacts.SnapshotJson, "application/json; charset=utf-8"),
            Upload(SummaryCsvName, artifacts.SummaryCsv, "text/csv; charset=utf-8"),
            Upload(SummaryJsonName, artifacts.SummaryJson, "application/json; charset=utf-8"));
        await Upload(PdfName, artifacts.Pdf, "application/pdf");
        return Info(fiscalYear, id, createdAt, artifacts.Pdf.LongLength, trigger, artifacts.SnapshotSha256);
    }

    public async Task<IReadOnlyList<ReportInfo>> ListAsync(int? fiscalYear = null, CancellationToken cancellationToken = default)
    {
        var result = new List<ReportInfo>();
        var prefix = fiscalYear is { } fy ? $"fy{fy:D4}/" : "fy";
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken))
        {
            var parts = blob.Name.Split('/');
            if (parts.Length != 3 || parts[2] != PdfName || !parts[0].StartsWith("fy", StringComparison.Ordinal)
                || !int.TryParse(parts[0].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || !IsValidId(parts[1]))
            {
                continue;
            }
            var createdAt = blob.Metadata.TryGetValue("createdAt", out var c) && DateTimeOffset.TryParse(c, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
                ? parsed
                : blob.Properties.CreatedOn ?? default;
            var info = Info(year, parts[1], createdAt, blob.Properties.ContentLength ?? 0, blob.Metadata.TryGetValue("trigger", out var t) ? t : "",
                blob.Metadata.TryGetValue("snapshotSha256", out var sha) ? sha : null);
            if (blob.Metadata.TryGetValue("status", out var status) && status == "final")
            {
                info = info with
                {
                    Status = "final",
                    PublishedAt = blob.Metadata.TryGetValue("publishedAt", out var at) && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var p) ? p : null,
                    PublishedBy = blob.Metadata.TryGetValue("publishedBy", out var by) ? Uri.UnescapeDataString(by) : null,
                };
            }
            result.Add(info);
        }
        return result.OrderByDescending(r => r.FiscalYear).ThenByDescending(r => r.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>A file of a report (the PDF unless named): a given id, or the latest of the year. Null when there is none.</summary>
    public async Task<(ReportInfo Info, BlobClient Blob)?> FindAsync(int fiscalYear, string? id, string file = PdfName, CancellationToken cancellationToken = default)
    {
        var reports = await ListAsync(fiscalYear, cancellationToken);
        var info = id is null ? reports.FirstOrDefault() : reports.FirstOrDefault(r => r.Id == id);
        return info is null ? null : (info, container.GetBlobClient(Prefix(info.FiscalYear, info.Id) + file));
    }

    /// <summary>Marks a report final: its PDF's metadata records who published it and when (ETag-checked).</summary>
    public async Task<ReportInfo> PublishAsync(ReportInfo report, string publishedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var blob = container.GetBlobClient(Prefix(report.FiscalYear, report.Id) + PdfName);
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        var metadata = new Dictionary<string, string>(properties.Value.Metadata)
        {
            ["status"] = "final",
            ["publishedAt"] = at.ToString("O", CultureInfo.InvariantCulture),
            // Metadata values are ASCII: a Japanese display name is stored escaped.
            ["publishedBy"] = Uri.EscapeDataString(publishedBy),
        };
        await blob.SetMetadataAsync(metadata, new BlobRequestConditions { IfMatch = properties.Value.ETag }, cancellationToken);
        return report with { Status = "final", PublishedAt = at, PublishedBy = publishedBy };
    }

    private static string Prefix(int fiscalYear, string id) => $"fy{fiscalYear:D4}/{id}/";

    private static ReportInfo Info(int fiscalYear, string id, DateTimeOffset createdAt, long size, string trigger, string? sha) => new(
        id, fiscalYear, createdAt, size, $"/api/reports/{fiscalYear}?id={id}", $"fy{fiscalYear:D4}/{id}/{SnapshotName}", trigger, sha,
        $"/api/reports/{fiscalYear}?id={id}&format=csv", $"/api/reports/{fiscalYear}?id={id}&format=json");
}
