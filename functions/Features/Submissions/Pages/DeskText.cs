using System.Globalization;
using Reporting.Features.Indicators;
using Reporting.Infrastructure;
using Reporting.Infrastructure.Web;

namespace Reporting.Features.Submissions.Pages;

/// <summary>How the pages say the things of submissions in Japanese: statuses, windows, moments, values.</summary>
public static class DeskText
{
    public static string Status(ValueStatus status) => status == ValueStatus.Provisional ? "速報値" : "確報値";

    /// <summary>"2026年5月1日 14:05" in Japan time.</summary>
    public static string Moment(DateTimeOffset instant)
    {
        var jst = JapanTime.ToJapan(instant);
        return string.Create(CultureInfo.InvariantCulture, $"{jst.Year}年{jst.Month}月{jst.Day}日 {jst:HH:mm}");
    }

    /// <summary>A value with its unit and period, as the report prints it: "16,105人（2025年度）".</summary>
    public static string Value(Indicator indicator, IndicatorValue value) => $"{indicator.FormatValue(value.Value)}（{indicator.PeriodText(value.Year)}）";

    /// <summary>A tag saying where a series stands for a year: 未入力, 速報値, 確報値 (and 要確認 when flagged).</summary>
    public static Html Tag(IndicatorValue? value) => value is null
        ? Html.Raw("<span class=\"tag tag--missing\">未入力</span>")
        : Html.Of($"""<span class="tag tag--{(value.Status == ValueStatus.Provisional ? "provisional" : "final")}">{Status(value.Status)}</span>{Html.When(value.Flagged, Html.Raw(" <span class=\"tag tag--flagged\">要確認</span>"))}""");

    /// <summary>The window of a fiscal year as a clerk needs to read it: open until when (N days left), closed, locked.</summary>
    public static (BannerKind Kind, string Title, string Text) Window(YearStatus year)
    {
        var label = JapanTime.FiscalYearLabel(year.Year);
        if (year.Lock is { } locked)
        {
            return locked.State == LockState.Final
                ? (BannerKind.Notice, $"{label}の値は確定しています", $"{JapanTime.DateLabel(locked.PublishedAt)}に報告書が確定版として公表されたため、値は変更できません。訂正が必要な場合は管理者に依頼してください。")
                : (BannerKind.Notice, $"{label}の報告書を公表する処理中です", "処理が終わるまで値は変更できません。しばらくしてから開き直してください。");
        }
        var window = year.Window;
        return year.State switch
        {
            WindowState.Open => (BannerKind.Success, $"{label}の値を受け付けています",
                $"入力期間は{JapanTime.DayLabel(window!.OpensOn)}から{JapanTime.DayLabel(window.ClosesOn)}までです（締切まであと{year.DaysLeft}日{(year.DaysLeft == 0 ? "、本日締切" : "")}）。"),
            WindowState.NotYetOpen => (BannerKind.Notice, $"{label}の入力期間はまだ始まっていません",
                $"入力期間は{JapanTime.DayLabel(window!.OpensOn)}から{JapanTime.DayLabel(window.ClosesOn)}までです。"),
            WindowState.Closed => (BannerKind.Notice, $"{label}の入力期間は終わりました",
                $"入力期間は{JapanTime.DayLabel(window!.ClosesOn)}まででした。変更が必要な場合は事務局に連絡してください。"),
            _ => (BannerKind.Success, $"{label}の値を受け付けています", "入力期間は設定されていません。いつでも入力・修正できます。"),
        };
    }

    public static Html WindowPanel(YearStatus year)
    {
        var (kind, title, text) = Window(year);
        return Html.Of($"""<div class="banner banner--{kind.ToString().ToLowerInvariant()}"><h2 class="banner__title">{title}</h2><p>{text}</p></div>""");
    }

    /// <summary>The year selector of the agency pages (a GET form: the choice is in the address, so it can be bookmarked).</summary>
    public static Html YearPicker(string action, IReadOnlyList<int> years, int selected) => Html.Of($"""
        <form method="get" action="{action}" class="actions" aria-label="対象年度の切り替え">
        {Form.Select("year", "year", "対象年度", years.Select(y => new Form.Choice(y.ToString(CultureInfo.InvariantCulture), JapanTime.FiscalYearLabel(y))).ToList(), selected.ToString(CultureInfo.InvariantCulture))}
        <button type="submit" class="button button--secondary">表示する</button>
        </form>
        """);

    /// <summary>Hint for a value field: the unit, the kind and the precision the catalog allows, and an example.</summary>
    public static string ValueHint(Indicator indicator)
    {
        var decimals = indicator.Decimals == 0 ? "整数" : $"小数点以下{indicator.Decimals}桁まで";
        var rule = indicator.ValueKind switch
        {
            ValueKind.Percentage => $"0〜100の割合（{decimals}）",
            ValueKind.Rank => "順位（1 = 1位）",
            ValueKind.Count => "0以上の整数",
            _ => $"0以上の値（{decimals}）",
        };
        return $"単位: {indicator.Unit}。{rule}で入力します（{indicator.ValueBasisText}）。";
    }
}
