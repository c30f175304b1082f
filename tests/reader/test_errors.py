"""When the API is down or answers an error, the reader says so in a page of its own, with the right status."""

from tests.reader.conftest import free_port


def assert_error_page(response, status, text):
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("text/html")
    assert text in response.text
    assert "Traceback" not in response.text and "Exception" not in response.text


def test_an_api_that_cannot_be_reached_gives_a_clear_page_and_503(start_reader):
    reader = start_reader(f"http://127.0.0.1:{free_port()}/api/v1/")

    for path in ("/", "/fr/", "/fr/chapters/4a21f9ce-829b-5447-8fac-fb98ed903c6a/", "/ar/search/?q=musique"):
        response = reader.get(path)
        assert response.headers.get("Retry-After") == "60"
        if path.startswith("/ar/"):
            assert_error_page(response, 503, "تعذّر الوصول إلى الكتاب")
            assert '<html lang="ar" dir="rtl">' in response.text
        else:
            assert_error_page(
                response, 503, "The book cannot be reached" if path == "/" else "Le livre est injoignable"
            )


def test_an_api_answering_errors_gives_a_clear_page_and_502(cms, relay, reader):
    relay.fail_with = 500

    assert_error_page(reader.get("/fr/"), 502, "Le livre n’a pas pu être lu")
    assert_error_page(reader.get("/en/themes/"), 502, "The book could not be read")


def test_an_unknown_item_or_language_is_a_404_page(cms, reader):
    assert_error_page(
        reader.get("/fr/chapters/00000000-0000-0000-0000-000000000000/"), 404, "Page introuvable"
    )
    assert_error_page(reader.get("/xx/"), 404, "Page not found")
    assert_error_page(reader.get("/fr/nowhere/"), 404, "Page introuvable")


def test_the_reader_answers_again_once_the_api_is_back(cms, relay, reader):
    relay.fail_with = 503
    assert reader.get("/fr/").status_code == 502
    relay.fail_with = None
    assert reader.get("/fr/").status_code == 200
