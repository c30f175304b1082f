"""Edit panels of the book's pages that Wagtail's own do not cover."""

import functools

from wagtail.admin.compare import ChildRelationComparison
from wagtail.admin.panels import InlinePanel


class LinkComparison(ChildRelationComparison):
    """Compares a chapter's links (contributors, themes, sectors) by what they link to.

    Wagtail pairs the rows of two revisions by their id, and takes two rows
    with different ids for different links. But the rows of a chapter's links
    are rewritten with new ids whenever they are copied, with nothing changed:
    each sync of a translation copies them from the source, as loading the demo
    book sets them again. Two links to the same contributor with the same role
    are the same link, whatever their ids; only what is left is paired as
    Wagtail pairs it.
    """

    def get_mapping(self, objs_a, objs_b):
        map_forwards, map_backwards = {}, {}

        def pair(a_idx, b_idx):
            map_forwards[a_idx] = b_idx
            map_backwards[b_idx] = a_idx

        for a_idx, a_child in enumerate(objs_a):
            for b_idx, b_child in enumerate(objs_b):
                if b_idx not in map_backwards and a_child.pk is not None and a_child.pk == b_child.pk:
                    pair(a_idx, b_idx)
                    break

        candidates = []
        for a_idx, a_child in enumerate(objs_a):
            if a_idx in map_forwards:
                continue
            for b_idx, b_child in enumerate(objs_b):
                if b_idx in map_backwards:
                    continue
                differences = self.get_child_comparison(a_child, b_child).get_num_differences()
                other_row = a_child.pk is not None and b_child.pk is not None and a_child.pk != b_child.pk
                if differences == 0 or not other_row:
                    # Same content first, and among equals the one at the same place.
                    candidates.append((differences, abs(a_idx - b_idx), a_idx, b_idx))
        for _differences, _distance, a_idx, b_idx in sorted(candidates):
            if a_idx not in map_forwards and b_idx not in map_backwards:
                pair(a_idx, b_idx)

        added = [b_idx for b_idx in range(len(objs_b)) if b_idx not in map_backwards]
        deleted = [a_idx for a_idx in range(len(objs_a)) if a_idx not in map_forwards]
        return map_forwards, map_backwards, added, deleted


class LinksPanel(InlinePanel):
    """An inline panel of links, whose revisions are compared by :class:`LinkComparison`."""

    class BoundPanel(InlinePanel.BoundPanel):
        def get_comparison(self):
            return [
                functools.partial(LinkComparison, *comparison.args, **comparison.keywords)
                for comparison in super().get_comparison()
            ]
