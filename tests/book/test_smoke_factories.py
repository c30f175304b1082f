import pytest

from tests.factories import ChapterPageFactory


@pytest.mark.django_db
def test_chapter_factory_builds_a_tree_under_a_part():
    chapter = ChapterPageFactory(body=[("paragraph", "<p>Trois mots ici</p>")])
    assert chapter.get_parent().specific.__class__.__name__ == "PartPage"
    assert chapter.word_count == 3
