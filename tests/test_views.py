"""The line-drawn views (list, ranking, record), the filter box, and what keeps keys fast."""

from __future__ import annotations

from fwtui import vocabulary
from fwtui.app import FwtuiApp
from fwtui.decide import Criteria, rank
from fwtui.screens.main import MainScreen
from fwtui.widgets.decision import NeedsList, RankingView
from fwtui.widgets.details import FrameworkDetails
from fwtui.widgets.framework_list import FilterBox, FrameworkList, FrameworkRows, ListHeading
from helpers import bundled_copies, hostile_document, open_decide, shows_its_state, wait_until, write

SIZE = (120, 40)


async def test_a_long_filter_scrolls_inside_the_box(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        text = "a filter much longer than the box is wide, typed to the end"
        await pilot.press("slash", *text)
        await pilot.pause()
        box = app.screen.query_one(FilterBox)
        assert box.value == text
        assert box.cursor_position == len(text)
        assert box.scroll_offset.x > 0  # scrolled so the end, where the cursor is, shows
        assert box.scroll_offset.x + box.size.width >= len(text)


async def test_ranking_view_shows_every_shown_place_with_its_reasons(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "6")
        await pilot.pause()
        view = app.screen.query_one(RankingView)
        text = view.text()
        expected = rank(bundled, Criteria(use_case="ml-serving"))
        first, second = expected[0], expected[1]
        assert f" 1 {first.framework.name}" in text and f" 2 {second.framework.name}" in text
        assert text.index(f" 1 {first.framework.name}") < text.index(f" 2 {second.framework.name}")
        flat = " ".join(text.split())
        for reason in first.reasons:  # every reason of the first place, with its points
            assert f"{reason.points:+d} {' '.join(reason.text.split())[:20]}" in flat
        assert all(len(line.text) == view.scrollable_content_region.width for line in view.lines)


async def test_ranking_view_follows_a_narrower_terminal(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "6")
        await pilot.pause()
        view = app.screen.query_one(RankingView)
        wide, width = len(view.lines), view.scrollable_content_region.width
        await pilot.resize_terminal(112, 40)  # not yet the stacked layout: the ranking column narrows
        await pilot.pause()
        assert view.scrollable_content_region.width < width
        assert all(len(line.text) == view.scrollable_content_region.width for line in view.lines)
        # Narrower, the reasons take more lines or are cut to one each: the first three places stay in sight.
        shown = view.text().splitlines()[: view.scrollable_content_region.height]
        assert sum(line.startswith((" 1 ", " 2 ", " 3 ")) for line in shown) == 3 and wide


async def test_record_shows_the_highlighted_framework(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down")
        await wait_until(pilot, lambda: shows_its_state(app), what="Details on the highlighted record")
        screen = app.screen
        assert isinstance(screen, MainScreen)
        current = bundled.framework(screen.query_one(FrameworkList).highlighted_id)
        details = screen.query_one(FrameworkDetails)
        text = details.text()
        assert text.startswith(current.name)
        assert current.tagline in text
        assert details.scroll_offset.y == 0


async def test_list_with_many_frameworks_scrolls_without_a_sideways_bar(tmp_path):
    from fwtui import dataset

    data = dataset.load(write(tmp_path, hostile_document(count=300)), overlay=None)
    app = FwtuiApp(data)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = app.screen.query_one(FrameworkRows)
        assert rows.virtual_size.height == 300 and not rows.show_horizontal_scrollbar
        await pilot.press("end")
        await pilot.pause()
        assert rows.cursor == 299 and rows.scroll_offset.y == rows.max_scroll_y > 0
        await pilot.press("slash", *"fw29")  # fw29 and fw290-fw299: the list shrinks under the scroll position
        await pilot.pause()
        assert rows.virtual_size.height == 11
        assert rows.scroll_offset.y <= rows.max_scroll_y


async def test_needs_cycle_off_nice_must_and_the_screen_owns_them(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        needs = screen.query_one(NeedsList)
        needs.focus()
        needs.highlighted = 0  # ORM
        await pilot.pause()
        seen = []
        for _ in range(3):
            await pilot.press("space")
            await pilot.pause()
            seen.append((screen.criteria.need_state("orm"), str(needs.get_option_at_index(0).prompt).split()[0]))
        assert seen == [("nice", "nice"), ("must", "MUST"), (None, "·")]


async def test_hovering_the_needs_list_leaves_no_highlight_behind(bundled):
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        needs = app.screen.query_one(NeedsList)
        plain = [segment.style for segment in needs.render_line(2)]
        await pilot.hover(NeedsList, offset=(10, 2))
        await pilot.pause()
        assert [segment.style for segment in needs.render_line(2)] != plain
        await pilot.hover(FrameworkRows, offset=(2, 2))
        await pilot.pause()
        assert [segment.style for segment in needs.render_line(2)] == plain


async def test_a_terminal_narrower_than_the_list_never_squeezes_a_pane_to_nothing(bundled):
    # Between a resize and the too-small check there can be a frame laid out at
    # the new size with the old classes; the panes must still have room to draw.
    app = FwtuiApp(bundled)
    async with app.run_test(size=(61, 16)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        await pilot.resize_terminal(30, 50)
        await pilot.pause()
        screen.set_class(False, "-too-small")  # the state before on_resize catches up
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert screen.query_one("#use-cases").scrollable_content_region.width > 4


async def test_kept_lines_are_drawn_as_textual_would_draw_them(bundled):
    """KeptLinesView skips Textual's per-line restyling; every line must come out the same as through it,
    focused and not, with the cursor, a mark, a ranking and the record's text."""
    from textual.geometry import Region
    from textual.widget import Widget

    from fwtui.widgets.lines import KeptLinesView

    def both_ways(view: KeptLinesView) -> None:
        region = Region(0, 0, view.region.width, view.region.height)
        view._styles_cache.clear()
        assert view.render_lines(region) == Widget.render_lines(view, region), type(view).__name__
        top = min(2, view.region.height - 1)  # a part inside the view, for a view of two lines too
        part = Region(1, top, view.region.width - 3, min(4, view.region.height - top))
        view._styles_cache.clear()
        assert view.render_lines(part) == Widget.render_lines(view, part), type(view).__name__

    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "space", "r", "6")
        await pilot.pause()
        rows, ranking = app.screen.query_one(FrameworkRows), app.screen.query_one(RankingView)
        both_ways(ranking)
        both_ways(app.screen.query_one(ListHeading))  # the count and the headings with scores
        await pilot.press("d")
        rows.focus()
        await pilot.press("down")  # the cursor moves
        await pilot.pause()
        assert rows.has_focus
        both_ways(rows)
        both_ways(app.screen.query_one(FrameworkDetails))
        app.screen.query_one(FilterBox).focus()
        await pilot.pause()
        both_ways(rows)  # unfocused: the list's tint and the cursor's colours change


async def test_the_kept_scrollbar_draws_what_textual_draws_for_each_thumb(tmp_path):
    from textual.geometry import Region
    from textual.widget import Widget

    from fwtui.widgets.lines import KeptScrollBar

    app = FwtuiApp(bundled_copies(200))
    async with app.run_test(size=SIZE) as pilot:
        rows = app.screen.query_one(FrameworkRows)
        bar = rows.vertical_scrollbar
        assert isinstance(bar, KeptScrollBar) and bar.display
        seen = []
        for keys in (("end",), ("slash", "o", "r", "m"), ("backspace",) * 3, ("escape", "home")):
            await pilot.press(*keys)
            await pilot.pause()
            region = Region(0, 0, bar.region.width, bar.region.height)
            kept = bar.render_lines(region)
            bar._styles_cache.clear()
            assert kept == Widget.render_lines(bar, region), keys
            seen.append(kept)
        assert seen[0] != seen[1] != seen[2]  # the thumb moved and changed size
        assert bar.render_lines(region) is seen[-1]  # drawn once, kept
        bar.mouse_over = True  # the hover colour is another drawing
        hovered = bar.render_lines(region)
        bar._styles_cache.clear()
        assert hovered != seen[-1] and hovered == Widget.render_lines(bar, region)


def test_reasons_draw_what_a_two_column_grid_drew(bundled):
    """Reasons replaced a Table.grid (points right-aligned, text wrapped beside them) for speed; same cells."""
    from rich.console import Console
    from rich.padding import Padding
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

    from fwtui.widgets.decision import Reasons

    def cells(lines):
        return [[(ch, None if ch == " " and not (segment.style and segment.style.bgcolor) else segment.style or Style())
                 for segment in line for ch in segment.text] for line in lines]

    compared = 0
    for criteria in (Criteria(use_case="rest-api", needs=("orm",)), Criteria(nice=("orm", "websockets"), strict=True),
                     Criteria(use_case="ml-serving", performance="high")):
        for entry in rank(bundled, criteria)[:5]:
            grid = Table.grid(padding=(0, 1))
            grid.add_column(justify="right", no_wrap=True)
            grid.add_column()
            for reason in entry.reasons:
                grid.add_row(Text(f"{reason.points:+d}", style="bold green" if reason.good else "bold yellow"),
                             Text(reason.text, style="" if reason.good else "dim"))
            for width in (30, 48, 77, 120):
                console = Console(width=width, color_system="truecolor")
                expected = console.render_lines(Padding(grid, (0, 0, 0, 3)), console.options.update_width(width))
                drawn = console.render_lines(Reasons(entry.reasons), console.options.update_width(width))
                assert cells(drawn) == cells(expected), (criteria, entry.framework.id, width)
                compared += 1
    assert compared == 60


async def test_nothing_asked_lists_names_a_to_z_up_to_a_limit(tmp_path):
    from fwtui.widgets.decision import LISTED_NAMES

    app = FwtuiApp(bundled_copies(300))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        text = " ".join(app.screen.query_one(RankingView).text().split())
        assert "The 300 frameworks, A to Z:" in text
        assert "F 000, F 001," in text and f"F {LISTED_NAMES - 1:03} and {300 - LISTED_NAMES} more" in text
        assert f"F {LISTED_NAMES:03}" not in text


async def test_the_filter_remembers_and_narrows_without_changing_what_it_shows(bundled):
    """The list keeps the rows of queries typed before and narrows from the last one; after every
    key of a long random session (typing, backspacing, new words, hiding exclusions, re-ranking)
    it shows exactly the frameworks `matches` keeps, in ranking order."""
    import random

    from fwtui.widgets.framework_list import matches, search_words

    rng = random.Random(20261125)
    words = {f.id: search_words(f) for f in bundled.frameworks}
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        framework_list = screen.query_one(FrameworkList)
        box = screen.query_one(FilterBox)
        narrowed = 0
        # First a widening the list has not seen since a re-ranking; then a random session.
        script = ["f", "a", "rank", "back", "back", "hide", "d", "j", "back", "hide", "back"]
        for step in range(len(script) + 200):
            roll = rng.random()
            action = script[step] if step < len(script) else (
                rng.choice("aeiourstlnfdw ") if roll < 0.5 else "back" if roll < 0.8 else "hide" if roll < 0.9 else "rank")
            if action == "back":
                box.action_delete_left()
            elif action == "hide":
                framework_list.hide_excluded = not framework_list.hide_excluded
            elif action == "rank":
                screen.criteria = Criteria(needs=(rng.choice(("orm", "websockets", "admin")),)) if rng.random() < 0.7 else Criteria()
            else:
                box.insert_text_at_cursor(action)
            # Every message handled (the list narrows in its handlers, with no timer between), without
            # also waiting for the CPU to go idle at each of the 211 steps, which tripled the test's time.
            await pilot.pause(0)
            query = box.value.lower().split()
            ranking = framework_list.ranking
            if ranking:
                expected = [r.framework.id for r in ranking
                            if not (framework_list.hide_excluded and r.excluded) and matches(words[r.framework.id], query)]
            else:
                expected = [f.id for f in bundled.frameworks if matches(words[f.id], query)]
            assert framework_list.visible_ids() == expected, (step, box.value, framework_list.hide_excluded)
            narrowed += len(query) > 0 and len(expected) < len(bundled.frameworks)
        assert narrowed > 20  # the session did filter


async def test_a_toggled_need_is_drawn_as_a_list_drawn_from_scratch(bundled):
    """redraw_prompt redraws one need only; after every toggle the list must look as Textual draws it anew."""
    from textual.geometry import Region

    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        needs = app.screen.query_one(NeedsList)
        needs.focus()
        region = Region(0, 0, needs.region.width, needs.region.height)
        for moves in ((), ("space",), ("down", "down", "space"), ("space",), ("up", "space", "space"), ("end", "space")):
            await pilot.press(*moves)
            await pilot.pause()
            drawn = needs.render_lines(region)
            needs._clear_caches()  # what OptionList.replace_option_prompt does to every option
            needs._styles_cache.clear()
            assert drawn == needs.render_lines(region), moves
        assert sum(state is not None for state in map(app.screen.criteria.need_state, vocabulary.BUILTINS)) == 4


async def test_a_cursor_move_redraws_only_the_two_rows_it_changes(bundled, monkeypatch):
    """A move within the view repaints the row left and the row reached, nothing else; a move
    that scrolls repaints the view (every row on screen is then another framework)."""
    from textual.geometry import Region

    app = FwtuiApp(bundled)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        rows = app.screen.query_one(FrameworkRows)
        rows.focus()
        await pilot.pause()
        painted: list[tuple[Region, ...]] = []
        refresh = FrameworkRows.refresh

        def recording(self, *regions, **kwargs):
            painted.append(regions)
            return refresh(self, *regions, **kwargs)

        monkeypatch.setattr(FrameworkRows, "refresh", recording)
        await pilot.press("down", "down")
        await pilot.pause()
        width = rows.size.width
        assert painted == [(Region(0, 0, width, 1),), (Region(0, 1, width, 1),), (Region(0, 1, width, 1),), (Region(0, 2, width, 1),)]
        assert rows.cursor == 2
        painted.clear()
        await pilot.press("end")  # far past the view: it scrolls
        await pilot.pause()
        assert () in painted and rows.scroll_offset.y > 0
        painted.clear()
        await pilot.press("up")  # within the view again, scrolled: the lines are the view's, not the list's
        await pilot.pause()
        top = rows.scroll_offset.y
        last = len(rows.rows) - 1
        assert painted == [(Region(0, last - top, width, 1),), (Region(0, last - 1 - top, width, 1),)]


async def test_rows_filtered_by_interface_alone_are_drawn_without_a_score(bundled):
    """An interface filters without scoring: every place has no score. A row first drawn then
    (here after a resize empties the kept rows) once raised TypeError formatting that score."""
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.criteria = Criteria(interface="wsgi")
        await pilot.pause()
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        rows = screen.query_one(FrameworkRows)
        lines = [rows.render_line(y).text for y in range(rows.size.height)]
        wsgi = [f.name for f in bundled.frameworks if "wsgi" in f.interfaces]
        shown = [line for line in lines if line.strip()]
        assert shown and all(not line.rstrip()[-1].isdigit() for line in shown)  # no score column
        assert any(name in shown[0] for name in wsgi) and "✗" in "".join(shown)  # kept first, the rest crossed out


async def test_a_count_wider_than_the_narrow_list_ends_in_an_ellipsis(bundled):
    """The count line is cut with a visible mark, not wrapped onto a line that is never shown."""
    app = FwtuiApp(bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.marked = tuple(f.id for f in bundled.frameworks[:3])
        screen.criteria = Criteria(needs=("orm", "admin"))
        screen.hide_excluded = True
        await pilot.pause()
        heading = screen.query_one(ListHeading)
        kept = sum(1 for r in rank(bundled, screen.criteria) if not r.excluded)
        full = f"{kept} of {len(bundled.frameworks)} · {len(bundled.frameworks) - kept} hidden · 3 marked"
        count = heading.text().splitlines()[0].strip()
        assert len(full) + 2 > heading.size.width  # the case under test: it does not fit
        assert count.endswith("…") and full.startswith(count[:-1])
        assert len(count) + 2 == heading.size.width  # as much as fits, then the mark
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert heading.text().splitlines()[0].strip() == full  # wide enough again: all of it


async def test_the_record_follows_when_the_rows_change_under_a_cursor_that_stays(bundled):
    """Filtering can leave the cursor on the same row with another framework in it: the
    record must follow it (and a re-rank that keeps the framework there changes nothing)."""
    app = FwtuiApp(bundled)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: any(d.framework is not None for d in app.screen.query(FrameworkDetails)), what="the record")
        screen = app.screen
        assert isinstance(screen, MainScreen)
        framework_list = screen.query_one(FrameworkList)
        first = bundled.framework(framework_list.visible_ids()[0])
        assert framework_list.rows.cursor == 0 and framework_list.highlighted_id == first.id
        other = next(f for f in bundled.frameworks if f.id != first.id and first.name.lower() not in f.name.lower())
        await pilot.press("slash", *other.name.lower())
        await wait_until(pilot, lambda: first.id not in framework_list.visible_ids(), what="the filter")
        await pilot.pause()
        assert framework_list.rows.cursor == 0 and framework_list.highlighted_id == framework_list.visible_ids()[0]
        details = screen.query_one(FrameworkDetails)
        assert details.framework is not None and details.framework.id == framework_list.highlighted_id


async def test_the_footers_last_cell_is_the_palette_keys_own(bundled):
    """At 80 columns Decide's keys overflow the footer and scroll under the docked `^p palette`
    key. Textual 8.2.8's compact footer left that key a margin, so the screen's last cell showed
    whichever key was under it ("^p palettee")."""
    app = FwtuiApp(bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_decide(app, pilot)
        await pilot.pause()  # the footer drawn with Decide's keys
        last = app.screen._compositor.render_strips()[-1].text
        assert len(last) == 80
        assert last.rstrip().endswith("^p palette") and last.endswith(" "), repr(last[-20:])
