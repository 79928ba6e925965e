namespace Reporting.Infrastructure.Web;

/// <summary>
/// Form fields as the pages write them: a visible label, an optional hint, the refusal beside the field (announced with
/// it: aria-describedby, aria-invalid), the value the person typed kept after a refusal.
/// </summary>
public static class Form
{
    public sealed record Choice(string Value, string Label);

    private static Html Described(string id, string? hint, string? error) =>
        (hint, error) switch
        {
            (null, null) => Html.Empty,
            _ => Html.Of($" aria-describedby=\"{string.Join(" ", new[] { hint is null ? null : id + "-hint", error is null ? null : id + "-error" }.Where(x => x is not null))}\""),
        };

    private static Html Invalid(string? error) => error is null ? Html.Empty : Html.Raw(" aria-invalid=\"true\"");

    private static Html Hint(string id, string? hint) => hint is null ? Html.Empty : Html.Of($"<span class=\"hint\" id=\"{id}-hint\">{hint}</span>");

    private static Html Error(string id, string? error) =>
        error is null ? Html.Empty : Html.Of($"<span class=\"field-error\" id=\"{id}-error\"><span class=\"visually-hidden\">エラー: </span>{error}</span>");

    private static Html Required(bool required) => required ? Html.Raw("<span class=\"required\">（必須）</span>") : Html.Empty;

    private static string FieldClass(string? error) => error is null ? "field" : "field field--error";

    public static Html Text(string id, string name, string label, string? value, string? hint = null, string? error = null, bool required = false,
        string? css = null, string? inputMode = null, string? autocomplete = "off") => Html.Of($"""
        <div class="{FieldClass(error)}">
        <label for="{id}">{label}{Required(required)}</label>{Hint(id, hint)}{Error(id, error)}
        <input type="text" id="{id}" name="{name}" value="{value}"{Html.When(css is not null, Html.Of($" class=\"{css}\""))}{Html.When(inputMode is not null, Html.Of($" inputmode=\"{inputMode}\""))}{Html.When(autocomplete is not null, Html.Of($" autocomplete=\"{autocomplete}\""))}{Html.When(required, Html.Raw(" required aria-required=\"true\""))}{Described(id, hint, error)}{Invalid(error)}>
        </div>
        """);

    public static Html Date(string id, string name, string label, DateOnly? value, string? hint = null, string? error = null, bool required = false) => Html.Of($"""
        <div class="{FieldClass(error)}">
        <label for="{id}">{label}{Required(required)}</label>{Hint(id, hint)}{Error(id, error)}
        <input type="date" id="{id}" name="{name}" value="{value?.ToString("yyyy-MM-dd")}"{Html.When(required, Html.Raw(" required aria-required=\"true\""))}{Described(id, hint, error)}{Invalid(error)}>
        </div>
        """);

    public static Html TextArea(string id, string name, string label, string? value, string? hint = null, string? error = null, bool required = false, int rows = 3) => Html.Of($"""
        <div class="{FieldClass(error)}">
        <label for="{id}">{label}{Required(required)}</label>{Hint(id, hint)}{Error(id, error)}
        <textarea id="{id}" name="{name}" rows="{rows}"{Html.When(required, Html.Raw(" required aria-required=\"true\""))}{Described(id, hint, error)}{Invalid(error)}>{value}</textarea>
        </div>
        """);

    /// <summary>A group of radio buttons: its legend names it; the first button carries the error's id for the summary link.</summary>
    public static Html Radios(string id, string name, string legend, IReadOnlyList<Choice> choices, string? selected, string? hint = null, string? error = null,
        bool required = false) => Html.Of($"""
        <div class="{FieldClass(error)}">
        <fieldset{Described(id, hint, error)}>
        <legend>{legend}{Required(required)}</legend>{Hint(id, hint)}{Error(id, error)}
        <div class="choices">{choices.Select((c, i) => Html.Of($"""<label class="choice"><input type="radio" id="{(i == 0 ? id : $"{id}-{i}")}" name="{name}" value="{c.Value}"{Html.When(c.Value == selected, Html.Raw(" checked"))}{Html.When(required && i == 0, Html.Raw(" required"))}{Invalid(error)}>{c.Label}</label>"""))}</div>
        </fieldset>
        </div>
        """);

    public static Html Select(string id, string name, string label, IReadOnlyList<Choice> choices, string? selected, string? hint = null, string? error = null,
        bool required = false) => Html.Of($"""
        <div class="{FieldClass(error)}">
        <label for="{id}">{label}{Required(required)}</label>{Hint(id, hint)}{Error(id, error)}
        <select id="{id}" name="{name}"{Html.When(required, Html.Raw(" required aria-required=\"true\""))}{Described(id, hint, error)}{Invalid(error)}>{choices.Select(c => Html.Of($"<option value=\"{c.Value}\"{Html.When(c.Value == selected, Html.Raw(" selected"))}>{c.Label}</option>"))}</select>
        </div>
        """);

    public static Html Hidden(string name, string? value) => Html.Of($"<input type=\"hidden\" name=\"{name}\" value=\"{value}\">");

    /// <summary>A field of a posted form, trimmed; null when absent or blank.</summary>
    public static string? Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.ToString().Trim() is { Length: > 0 } text ? text : null;
}
