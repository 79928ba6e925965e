namespace Reporting.Features.Reports;

public sealed class ReportOptions
{
    public const string Section = "Report";

    /// <summary>Issuing body printed on the cover.</summary>
    public string Publisher { get; set; } = "内閣府 科学技術・イノベーション推進事務局";

    /// <summary>BIZ UDPGothic TTF. When empty the app looks beside itself (fonts/) and in node_modules up the directory tree.</summary>
    public string? FontPath { get; set; }

    public string? BoldFontPath { get; set; }

    /// <summary>Folder of Noto Sans JP (400/700), drawn for the characters BIZ UDPGothic lacks (JIS X 0213 kanji).</summary>
    public string? FallbackFontPath { get; set; }

    /// <summary>
    /// Seconds of the per-year blob lease that makes one instance at a time generate a year's report (15–60, as Blob
    /// Storage allows); the holder renews it every third of that while its run lasts.
    /// </summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How long a run waits for another instance's run of the same year before it gives up.</summary>
    public int MaxWaitSeconds { get; set; } = 120;

    /// <summary>Render a throw-away report in the background at start, so a fresh instance's first report is fast.</summary>
    public bool WarmUpOnStart { get; set; } = true;
}
