namespace Reporting.Features.Reports.Rendering;

/// <summary>A piece of a typeset formula.</summary>
public abstract record MathNode
{
    public static implicit operator MathNode(string text) => new MathText(text);
}

/// <summary>Upright text: names, operators, numbers.</summary>
public sealed record MathText(string Text) : MathNode;

/// <summary>A base with a lowered index (y₀).</summary>
public sealed record MathSub(MathNode Base, MathNode Index) : MathNode;

/// <summary>A base with a raised exponent.</summary>
public sealed record MathSup(MathNode Base, MathNode Exponent) : MathNode;

/// <summary>A numerator over a denominator with a rule between.</summary>
public sealed record MathFrac(MathNode Numerator, MathNode Denominator) : MathNode;

/// <summary>Items side by side.</summary>
public sealed record MathRow(params MathNode[] Items) : MathNode;

/// <summary>Brackets around an expression, drawn as tall as it is.</summary>
public sealed record MathFence(MathNode Inner, string Open = "(", string Close = ")") : MathNode;

/// <summary>
/// A displayed formula, centred, with its number at the right (式(1)). Laid out as nested boxes (width, ascent,
/// descent) — fractions stacked over a rule on the math axis, indices and exponents at a smaller size, brackets that
/// grow with what they enclose — and drawn with the report's own face, so it is never broken across lines as inline
/// ASCII was. The text layer keeps the symbols in reading order.
/// </summary>
public sealed class Formula(MathNode formula, string number, float size = 10.5f, StructElement? tag = null) : Element
{
    public MathNode Expression => formula;
    public string Number => number;

    private const float Gap = 3f;

    private sealed record Box(float Width, float Ascent, float Descent, Action<RenderContext, Canvas, float, float> Draw);

    private Box? laidOut;

    private Box Layout(RenderContext ctx)
    {
        if (laidOut is not null) return laidOut;
        Box Of(MathNode node, float s)
        {
            var style = new TextStyle(s, LineHeight: 1.2f);
            switch (node)
            {
                case MathText t:
                {
                    var font = ctx.Font(style);
                    var w = ctx.Measure(t.Text, style);
                    return new Box(w, -font.Metrics.Ascent * 0.85f, font.Metrics.Descent, (c, cv, x, baseline) => c.DrawAt(cv, t.Text, style, x, baseline));
                }
                case MathRow r:
                {
                    var parts = r.Items.Select(i => Of(i, s)).ToList();
                    return new Box(parts.Sum(p => p.Width), parts.Max(p => p.Ascent), parts.Max(p => p.Descent), (c, cv, x, baseline) =>
                    {
                        foreach (var p in parts)
                        {
                            p.Draw(c, cv, x, baseline);
                            x += p.Width;
                        }
                    });
                }
                case MathSub sub:
                {
                    var b = Of(sub.Base, s);
                    var i = Of(sub.Index, s * 0.68f);
                    var drop = s * 0.25f;
                    return new Box(b.Width + i.Width + 0.5f, b.Ascent, Math.Max(b.Descent, i.Descent + drop), (c, cv, x, baseline) =>
                    {
                        b.Draw(c, cv, x, baseline);
                        i.Draw(c, cv, x + b.Width + 0.5f, baseline + drop);
                    });
                }
                case MathSup sup:
                {
                    var b = Of(sup.Base, s);
                    var e = Of(sup.Exponent, s * 0.68f);
                    var rise = Math.Max(b.Ascent * 0.75f, b.Ascent - e.Ascent * 0.4f) + e.Descent;
                    return new Box(b.Width + e.Width + 1f, Math.Max(b.Ascent, rise + e.Ascent), b.Descent, (c, cv, x, baseline) =>
                    {
                        b.Draw(c, cv, x, baseline);
                        e.Draw(c, cv, x + b.Width + 1f, baseline - rise);
                    });
                }
                case MathFrac f:
                {
                    var n = Of(f.Numerator, s * 0.92f);
                    var d = Of(f.Denominator, s * 0.92f);
                    var width = Math.Max(n.Width, d.Width) + 4;
                    var axis = s * 0.3f; // the rule sits at the height of a minus sign
                    var up = axis + 2 + n.Descent;
                    var down = 2 - axis + d.Ascent;
                    return new Box(width, up + n.Ascent, down + d.Descent, (c, cv, x, baseline) =>
                    {
                        n.Draw(c, cv, x + (width - n.Width) / 2, baseline - up);
                        d.Draw(c, cv, x + (width - d.Width) / 2, baseline + down);
                        cv.Line(x + 1, baseline - axis, x + width - 1, baseline - axis, new Stroke(0xFF1A1A1A, 0.6f));
                    });
                }
                case MathFence fence:
                {
                    var inner = Of(fence.Inner, s);
                    var tall = inner.Ascent + inner.Descent > s * 1.25f;
                    if (!tall)
                    {
                        var row = Of(new MathRow(fence.Open, fence.Inner, fence.Close), s);
                        return row;
                    }
                    var bracket = s * 0.38f;
                    var top = inner.Ascent + 1;
                    var bottom = inner.Descent + 1;
                    return new Box(inner.Width + 2 * bracket + 2, top, bottom, (c, cv, x, baseline) =>
                    {
                        var pen = new Stroke(0xFF1A1A1A, 0.7f);
                        cv.Path(new PathData().MoveTo(x + bracket, baseline - top).QuadTo(x, baseline - (top - bottom) / 2, x + bracket, baseline + bottom), null, pen);
                        var r = x + inner.Width + bracket + 2;
                        cv.Path(new PathData().MoveTo(r, baseline - top).QuadTo(r + bracket, baseline - (top - bottom) / 2, r, baseline + bottom), null, pen);
                        inner.Draw(c, cv, x + bracket + 1, baseline);
                    });
                }
                default:
                    throw new InvalidOperationException($"Unknown formula part {node.GetType().Name}.");
            }
        }
        laidOut = Of(formula, size);
        return laidOut;
    }

    public override float Measure(RenderContext ctx, float width)
    {
        var box = Layout(ctx);
        return box.Ascent + box.Descent + 2 * Gap;
    }

    public override void Draw(RenderContext ctx, Canvas canvas, float x, float y, float width)
    {
        var box = Layout(ctx);
        var baseline = y + Gap + box.Ascent;
        if (tag is not null)
        {
            canvas.BeginTag(tag);
            canvas.Box(tag, x, y, width, Measure(ctx, width));
        }
        box.Draw(ctx, canvas, x + (width - box.Width) / 2, baseline);
        var numberStyle = new TextStyle(9f, LineHeight: 1.2f);
        var w = ctx.Measure(number, numberStyle);
        ctx.DrawAt(canvas, number, numberStyle, x + width - w, baseline);
        if (tag is not null) canvas.EndTag();
    }

    /// <summary>The formula written on one line (y_t, (a)/(b), x^(e)): its alternative text in the tagged PDF.</summary>
    public static string Linear(MathNode node) => node switch
    {
        MathText t => t.Text,
        MathRow r => string.Concat(r.Items.Select(Linear)),
        MathSub sub => Linear(sub.Base) + "_" + Grouped(sub.Index),
        MathSup sup => Linear(sup.Base) + "^" + Grouped(sup.Exponent),
        MathFrac f => Grouped(f.Numerator) + "/" + Grouped(f.Denominator),
        MathFence fence => fence.Open + Linear(fence.Inner) + fence.Close,
        _ => "",
    };

    private static string Grouped(MathNode node) => Linear(node) is var text && (text.Length <= 1 || node is MathFence) ? text : $"({text})";
}
