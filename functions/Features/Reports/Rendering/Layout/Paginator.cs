namespace Reporting.Features.Reports.Rendering;

public sealed record Placed(Element Element, float Y);

public sealed record PageLayout(IReadOnlyList<Placed> Items);

/// <summary>
/// Places a flow of measured elements on pages: splits what may split, keeps headings and captions with what follows,
/// keeps blocks together. Nothing is ever placed past the bottom of a page: an element taller than a page is split
/// (tables by rows, and a row taller than a page by lines). Each element is measured and split a constant or
/// logarithmic number of times, so the work grows linearly with the document.
/// </summary>
public static class Paginator
{
    public static IReadOnlyList<PageLayout> Paginate(RenderContext ctx, IEnumerable<Element> flow, float width, float height)
    {
        ctx.PageHeight = height;
        var pages = new List<PageLayout>();
        var items = new List<Placed>();
        var y = 0f;
        var queue = new LinkedList<Element>(flow);

        void NewPage()
        {
            pages.Add(new PageLayout(items));
            items = [];
            y = 0;
        }

        // Headings and captions left at the end of a page go to the next page with what they keep with (unless they
        // are all the page has).
        void CarryKeptToNextPage()
        {
            var k = items.Count;
            while (k > 0 && (items[k - 1].Element.KeepWithNext || items[k - 1].Element.IsSpace)) k--;
            if (k == 0 || !items.Skip(k).Any(p => p.Element.KeepWithNext)) return;
            for (var j = items.Count - 1; j >= k; j--) queue.AddFirst(items[j].Element);
            y = items[k].Y;
            items.RemoveRange(k, items.Count - k);
        }

        while (queue.First is { } node)
        {
            var element = node.Value;
            queue.RemoveFirst();
            if (element is PageBreak)
            {
                if (items.Count > 0) NewPage();
                continue;
            }
            if (element.IsSpace && items.Count == 0) continue;

            var h = element.Measure(ctx, width);
            var need = h;
            if (element.KeepWithNext) need += ChainLead(ctx, queue, width);
            if (y + need <= height)
            {
                items.Add(new Placed(element, y));
                y += h;
                continue;
            }
            if (element is Block block)
            {
                if (h <= height && items.Count > 0)
                {
                    queue.AddFirst(element);
                    CarryKeptToNextPage();
                    NewPage();
                    continue;
                }
                // Taller than a page: its elements go one by one.
                for (var i = block.Elements.Count - 1; i >= 0; i--) queue.AddFirst(block.Elements[i]);
                continue;
            }
            if (!element.KeepWithNext && element.Split(ctx, width, height - y, items.Count == 0) is { } parts)
            {
                items.Add(new Placed(parts.Head, y));
                queue.AddFirst(parts.Tail);
                NewPage();
                continue;
            }
            if (items.Count > 0)
            {
                queue.AddFirst(element);
                CarryKeptToNextPage();
                NewPage();
                continue;
            }
            // Alone on a fresh page and still too tall: only a heading kept with a long next element gets here, and it
            // fits by itself (need counted the next element's first part).
            items.Add(new Placed(element, y));
            y += h;
        }
        if (items.Count > 0) pages.Add(new PageLayout(items));
        return pages;
    }

    /// <summary>
    /// What a heading or caption must have beside it on its page: the next element's lead, and when that element is
    /// itself kept with the next (a caption after a heading), its whole height and what it keeps with, and so on.
    /// </summary>
    internal static float ChainLead(RenderContext ctx, IEnumerable<Element> following, float width)
    {
        var total = 0f;
        foreach (var next in following)
        {
            if (next is PageBreak) return total;
            if (next.IsSpace)
            {
                total += next.Measure(ctx, width);
                continue;
            }
            if (next.KeepWithNext)
            {
                total += next.Measure(ctx, width);
                continue;
            }
            return total + next.Lead(ctx, width);
        }
        return total;
    }
}
