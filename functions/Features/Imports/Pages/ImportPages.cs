using System.Globalization;
using System.Text;
using Microsoft.Azure.Functions.Worker;
using Reporting.Features.Indicators;
using Reporting.Features.Submissions;
using Reporting.Features.Submissions.Pages;
using Reporting.Infrastructure;
using Reporting.Infrastructure.Web;

namespace Reporting.Features.Imports.Pages;

/// <summary>GET /agency/import: choose a CSV file (as Excel saves it) to check, then register.</summary>
public sealed class ImportPageFunction(AgencyDesk desk)
{
    [Function("ImportPage")]
    [Requires(Policy.Agency), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "agency/import")] HttpRequest request)
    {
        var (_, status) = await desk.YearAsync(null, request.HttpContext.RequestAborted);
        return ImportViews.Choose(request.HttpContext, status.Year, null, StatusCodes.Status200OK);
    }
}

/// <summary>
/// GET /agency/import/template.csv[?year=]: a CSV of the agency's indicators and series for a year, to fill in with Excel
/// and import (UTF-8 with BOM, which Excel opens as Japanese).
/// </summary>
public sealed class ImportTemplateFunction(AgencyDesk desk)
{
    [Function("ImportTemplate")]
    [Requires(Policy.Agency), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "agency/import/template.csv")] HttpRequest request, string? year = null)
    {
        var context = request.HttpContext;
        var opened = await desk.OpenAsync(context.User.AgencyCode()!, AgencyViews.Year(year), context.RequestAborted);
        if (opened.IsRefused) return AgencyViews.Refused(context, opened.Refusal!);
        var chosen = opened.Value.Year.Year;
        var csv = new StringBuilder("indicator,series,year,value,status,note\r\n");
        foreach (var d in opened.Value.Indicators)
        {
            foreach (var s in d.Indicator.Series)
            {
                var current = d.ValueOf(s.Id, chosen);
                csv.Append(CultureInfo.InvariantCulture, $"{d.Indicator.Id},{s.Id},{chosen},{(current is null ? "" : current.Value.ToString("0.##########", CultureInfo.InvariantCulture))},{(current?.Status == ValueStatus.Provisional ? "provisional" : "final")},{Csv(current?.Note)}\r\n");
            }
        }
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"import-{opened.Value.Agency.Code}-{chosen}.csv\"";
        context.Response.Headers.CacheControl = "no-store";
        return Results.Bytes([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())], "text/csv; charset=utf-8");
    }

    private static string Csv(string? text) =>
        text is null ? "" : text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}

/// <summary>
/// POST /agency/import: with a file, checks every row without writing (a dry run) and shows what would happen; with
/// the checked file sent back ("この内容で登録する"), registers it. Both through <see cref="ImportValues"/>, as the API's
/// import does.
/// </summary>
public sealed class ImportFunction(ImportValues import, AgencyDesk desk)
{
    /// <summary>A few hundred values a year fit in far less; the API takes larger files.</summary>
    public const int MaxFileBytes = 2 * 1024 * 1024;

    [Function("Import")]
    [Requires(Policy.Agency), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "agency/import")] HttpRequest request)
    {
        var context = request.HttpContext;
        var cancellationToken = context.RequestAborted;
        var (_, status) = await desk.YearAsync(null, cancellationToken);
        if (request.ContentLength > MaxFileBytes * 2)
        {
            return ImportViews.Choose(context, status.Year, new FieldError("file", "ファイル", $"ファイルが大きすぎます（{MaxFileBytes / 1024 / 1024}MBまで）。"), StatusCodes.Status413PayloadTooLarge);
        }
        var form = await request.ReadFormAsync(cancellationToken);
        var commit = Form.Field(form, "action") == "commit";
        byte[] content;
        string fileName;
        if (commit)
        {
            // The file that was checked, sent back by the preview page.
            try
            {
                content = Convert.FromBase64String(Form.Field(form, "content") ?? "");
            }
            catch (FormatException)
            {
                return ImportViews.Choose(context, status.Year, new FieldError("file", "ファイル", "確認した内容を読み取れませんでした。ファイルを選び直してください。"), StatusCodes.Status400BadRequest);
            }
            fileName = Form.Field(form, "fileName") ?? "";
        }
        else
        {
            var file = form.Files.GetFile("file");
            if (file is null || file.Length == 0)
            {
                return ImportViews.Choose(context, status.Year, new FieldError("file", "ファイル", "取り込む CSV ファイルを選んでください。"), StatusCodes.Status400BadRequest);
            }
            if (file.Length > MaxFileBytes)
            {
                return ImportViews.Choose(context, status.Year, new FieldError("file", "ファイル", $"ファイルが大きすぎます（{MaxFileBytes / 1024 / 1024}MBまで）。"), StatusCodes.Status413PayloadTooLarge);
            }
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, cancellationToken);
            content = copy.ToArray();
            fileName = Path.GetFileName(file.FileName);
        }
        if (content.Length == 0 || content.Length > MaxFileBytes)
        {
            return ImportViews.Choose(context, status.Year, new FieldError("file", "ファイル", "取り込む CSV ファイルを選んでください。"), StatusCodes.Status400BadRequest);
        }
        var encoding = Form.Field(form, "encoding") switch
        {
            "utf-8" => ImportParser.EncodingOf("utf-8"),
            "shift_jis" => ImportParser.EncodingOf("shift_jis"),
            _ => ImportParser.GuessEncoding(content),
        };
        var imported = await import.ImportAsync(Submitter.From(context.User), new MemoryStream(content), ImportFormat.Csv, encoding, dryRun: !commit, cancellationToken);
        if (imported.IsRefused)
        {
            // The file as a whole could not be read (its header, its encoding, its size): say what to fix.
            var refusal = imported.Refusal!;
            return ImportViews.Choose(context, status.Year, new FieldError("file", "ファイル", string.Join(" ", refusal.Messages.Select(m => m.Message.Japanese))),
                Problems.StatusOf(refusal.Kind));
        }
        return ImportViews.Report(context, imported.Value, fileName, content, Form.Field(form, "encoding") ?? "auto");
    }
}

internal static class ImportViews
{
    public static IResult Choose(HttpContext context, int year, FieldError? error, int status)
    {
        var content = Html.Of($"""
            <p class="lead">Excel などで作った CSV ファイルの値を、まとめて登録します。登録の前に、すべての行を確認した結果が表示されます。</p>
            <h2>ファイルの作り方</h2>
            <ol>
            <li><a href="/agency/import/template.csv?year={year}">{JapanTime.FiscalYearLabel(year)}の入力用ひな形（CSV）をダウンロード</a>します。担当する指標と系列が入っています。</li>
            <li>Excel で開き、<strong>value</strong>（値）の列に値を入れます。<strong>status</strong>（区分）は final（確報値）か provisional（速報値）、<strong>note</strong>（備考）は任意です。</li>
            <li>「CSV（コンマ区切り）」か「CSV UTF-8」で保存し、下で選びます。</li>
            </ol>
            <form method="post" action="/agency/import" enctype="multipart/form-data" class="panel" novalidate>
            <div class="{(error is null ? "field" : "field field--error")}">
            <label for="file">CSV ファイル<span class="required">（必須）</span></label>
            <span class="hint" id="file-hint">見出し行（indicator, series, year, value, status, note）のある CSV。{ImportFunction.MaxFileBytes / 1024 / 1024}MBまで。</span>
            {(error is null ? Html.Empty : Html.Of($"<span class=\"field-error\" id=\"file-error\"><span class=\"visually-hidden\">エラー: </span>{error.Message}</span>"))}
            <input type="file" id="file" name="file" accept=".csv,text/csv" required aria-required="true" aria-describedby="file-hint{(error is null ? "" : " file-error")}"{Html.When(error is not null, Html.Raw(" aria-invalid=\"true\""))}>
            </div>
            {Form.Select("encoding", "encoding", "文字コード", [new("auto", "自動で判定する"), new("shift_jis", "Shift_JIS（Excel の「CSV（コンマ区切り）」）"), new("utf-8", "UTF-8（Excel の「CSV UTF-8」）")], "auto")}
            {Form.Hidden("action", "preview")}
            <div class="actions"><button type="submit" class="button">内容を確認する</button></div>
            </form>
            """);
        return WebPage.Render(context, "ファイルで取込", content, status, errors: error is null ? null : [error]);
    }

    public static IResult Report(HttpContext context, ImportReport report, string fileName, byte[] content, string encoding)
    {
        var rows = report.Rows.Select(r => Html.Of($"""
            <tr>
            <th scope="row" class="number">{r.Row}</th>
            <td>{r.IndicatorId}</td><td>{r.Series}</td><td class="number">{r.Year}</td>
            <td class="number">{(r.Value is { } v ? v.Value.ToString("#,0.##########", CultureInfo.InvariantCulture) : "")}</td>
            <td>{Outcome(r, report.DryRun)}</td>
            <td>{(r.Errors.Count == 0 ? Html.Empty : Html.Of($"<ul class=\"plain\">{r.Errors.Select(e => Html.Of($"<li>{FieldName(e.Field)}: {e.Message.Japanese}</li>"))}</ul>"))}{Html.When(r.Flagged, Html.Of($"<span class=\"tag tag--flagged\">要確認</span> {r.Value?.FlagReason}"))}</td>
            </tr>
            """)).ToList();
        var table = Html.Of($"""
            <div class="table-scroll" role="region" aria-labelledby="rows-caption" tabindex="0">
            <table>
            <caption id="rows-caption">{fileName} の各行（{report.Rows.Count}行）</caption>
            <thead><tr><th scope="col" class="number">行</th><th scope="col">指標</th><th scope="col">系列</th><th scope="col" class="number">年</th><th scope="col" class="number">値</th><th scope="col">結果</th><th scope="col">内容</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            </div>
            """);
        var counts = Html.Of($"""
            <dl class="summary-list">
            <dt>{(report.DryRun ? "登録される行" : "登録した行")}</dt><dd>{report.Accepted}行（新規 {report.Rows.Count(r => r.Change == WriteKind.Created)}、変更 {report.Rows.Count(r => r.Change == WriteKind.Revised)}）</dd>
            <dt>変更のない行</dt><dd>{report.Unchanged}行</dd>
            <dt>誤りのある行</dt><dd>{report.Rejected}行</dd>
            </dl>
            """);
        if (!report.DryRun)
        {
            var done = new Banner(report.Rejected == 0 ? BannerKind.Success : BannerKind.Notice, "登録しました",
                Html.Of($"<p>{report.Accepted}行を登録しました。{(report.Rejected > 0 ? $"誤りのある{report.Rejected}行は登録していません。直したファイルをもう一度取り込んでください。" : "")}</p>"));
            return WebPage.Render(context, "ファイルで取込: 結果", Html.Of($"{counts}{table}<p><a href=\"/agency\">値の入力へ</a> ／ <a href=\"/agency/import\">別のファイルを取り込む</a></p>"), banner: done);
        }
        var banner = report.Rejected > 0
            ? new Banner(BannerKind.Problem, $"{report.Rejected}行に誤りがあります",
                Html.Of($"<p>誤りのある行は登録されません。表の「内容」を見てファイルを直し、もう一度選んでください。{(report.Accepted > 0 ? $"このまま登録すると、誤りのない{report.Accepted}行だけが登録されます。" : "")}</p>"))
            : new Banner(BannerKind.Success, "まだ登録していません", Html.Of($"<p>すべての行を確認しました。内容がよければ「この内容で登録する」を押してください。</p>"));
        var confirm = report.Accepted == 0 ? Html.Raw("<p><a class=\"button button--secondary\" href=\"/agency/import\">ファイルを選び直す</a></p>") : Html.Of($"""
            <form method="post" action="/agency/import" enctype="multipart/form-data" class="actions">
            {Form.Hidden("action", "commit")}{Form.Hidden("content", Convert.ToBase64String(content))}{Form.Hidden("fileName", fileName)}{Form.Hidden("encoding", encoding)}
            <button type="submit" class="button">この内容で登録する（{report.Accepted}行）</button>
            <a class="button button--secondary" href="/agency/import">ファイルを選び直す</a>
            </form>
            """);
        return WebPage.Render(context, "ファイルで取込: 確認", Html.Of($"{counts}{confirm}{table}"), report.Rejected > 0 ? StatusCodes.Status200OK : StatusCodes.Status200OK, banner);
    }

    private static Html Outcome(ImportedRow row, bool dryRun) => row.Outcome switch
    {
        RowOutcome.Rejected => Html.Raw("<span class=\"tag tag--missing\">誤り</span>"),
        RowOutcome.Unchanged => Html.Raw("<span class=\"tag tag--closed\">変更なし</span>"),
        _ when row.Change == WriteKind.Revised => Html.Of($"<span class=\"tag tag--provisional\">{(dryRun ? "変更される" : "変更した")}</span>"),
        _ => Html.Of($"<span class=\"tag tag--final\">{(dryRun ? "新規に登録される" : "新規に登録した")}</span>"),
    };

    private static string FieldName(string field) => field switch
    {
        "indicator" => "指標",
        "series" => "系列",
        "year" => "年",
        "value" => "値",
        "status" => "区分",
        "note" => "備考",
        "header" => "見出し",
        _ => field,
    };
}
