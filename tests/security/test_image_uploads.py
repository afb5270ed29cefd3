"""Images uploaded from the editor: only real JPEG/PNG/WebP/GIF, re-encoded without metadata,
stored under a random name through Django's storage API, served so they never become a page.

Every refusal is a 400 with a message for the editor's script, and leaves the storage empty.
"""

import re
from io import BytesIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from notes import permissions
from notes.lib.limits import MAX_IMAGE_BYTES
from notes.lib.markup import render_markdown
from notes.services.images import ImageRefused, image_clean, image_store
from tests.factories import make_user

pytestmark = pytest.mark.django_db

UPLOAD = "/images/upload/"
IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
NAME = re.compile(r"^[A-Za-z0-9_-]{22}\.(jpg|png|webp|gif)$")


@pytest.fixture(autouse=True)
def memory_storage():
    """Every test stores into a fresh in-memory storage: the backend is only a setting."""
    with override_settings(STORAGES=IN_MEMORY):
        yield


def stored_names() -> list[str]:
    try:
        return default_storage.listdir("images")[1]
    except FileNotFoundError:
        return []


def picture(fmt: str, *, size=(64, 48), mode="RGB", **options) -> bytes:
    """A small picture with some detail (noise compresses badly, so truncation bites)."""
    image = Image.effect_noise(size, 60).convert(mode)
    out = BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def upload(client, data: bytes, name: str = "picture.png", content_type: str = "image/png"):
    return client.post(UPLOAD, {"image": SimpleUploadedFile(name, data, content_type=content_type)})


@pytest.fixture
def editor_client(client_for, editor):
    return client_for(editor)


# --- What is kept ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "extension", "content_type"),
    [
        ("JPEG", "jpg", "image/jpeg"),
        ("PNG", "png", "image/png"),
        ("WEBP", "webp", "image/webp"),
        ("GIF", "gif", "image/gif"),
    ],
)
def test_an_editor_uploads_each_of_the_four_formats_and_gets_markdown_for_it(
    editor_client, fmt, extension, content_type
):
    # The name and the browser's type lie: the bytes decide.
    response = upload(editor_client, picture(fmt), name="holiday photo.bmp", content_type="text/html")

    assert response.status_code == 201, response.content
    answer = response.json()
    assert NAME.match(answer["name"]) and answer["name"].endswith(f".{extension}")
    assert answer["url"] == f"/media/images/{answer['name']}"
    assert answer["markdown"] == f"![holiday photo](/media/images/{answer['name']})"
    assert (answer["width"], answer["height"]) == (64, 48)
    assert stored_names() == [answer["name"]]
    with default_storage.open(f"images/{answer['name']}") as handle:
        assert Image.open(handle).format == fmt

    served = editor_client.get(answer["url"])
    assert served.status_code == 200
    assert served["Content-Type"] == content_type


def test_names_are_random_and_never_the_uploaded_name(editor_client):
    names = {upload(editor_client, picture("PNG"), name="same.png").json()["name"] for _ in range(3)}

    assert len(names) == 3
    assert all(NAME.match(name) and "same" not in name for name in names)


def test_re_encoding_drops_exif_comments_icc_and_text_chunks():
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude: where the photo was taken
    jpeg = picture("JPEG", exif=exif.tobytes(), comment=b"taken by Ann at home", icc_profile=b"\0" * 128)
    assert b"CameraMaker" in jpeg and b"taken by Ann" in jpeg

    cleaned, extension, _, _ = image_clean(data=jpeg)

    reopened = Image.open(BytesIO(cleaned))
    assert extension == "jpg"
    assert b"CameraMaker" not in cleaned and b"taken by Ann" not in cleaned
    assert (
        "exif" not in reopened.info and "comment" not in reopened.info and "icc_profile" not in reopened.info
    )
    assert len(reopened.getexif()) == 0

    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Author", "Ann Example")
    png = picture("PNG", pnginfo=text)
    cleaned_png = Image.open(BytesIO(image_clean(data=png)[0]))
    assert cleaned_png.text == {}


def test_a_photo_keeps_its_orientation_once_exif_is_gone():
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to show"
    cleaned, _, width, height = image_clean(data=picture("JPEG", size=(60, 20), exif=exif.tobytes()))

    assert (width, height) == (20, 60)
    assert Image.open(BytesIO(cleaned)).size == (20, 60)


def test_an_animated_gif_keeps_its_first_frame():
    frames = [Image.new("P", (8, 8), color) for color in (1, 2, 3)]
    out = BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], comment=b"hello", loop=0)

    cleaned = Image.open(BytesIO(image_clean(data=out.getvalue())[0]))

    assert getattr(cleaned, "n_frames", 1) == 1
    assert "comment" not in cleaned.info


def test_a_png_keeps_its_transparency():
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    out = BytesIO()
    image.save(out, format="PNG")

    cleaned = Image.open(BytesIO(image_clean(data=out.getvalue())[0]))

    assert cleaned.convert("RGBA").getpixel((0, 0))[3] == 0


# --- What is refused ---------------------------------------------------------------------


def _bomb(size) -> bytes:
    out = BytesIO()
    Image.new("1", size).save(out, format="PNG")  # one bit a pixel compresses to almost nothing
    return out.getvalue()


def _jpeg_with_script_in_comment() -> bytes:
    return picture("JPEG", comment=b"<script>alert(document.cookie)</script>")


REFUSALS = {
    "an SVG": (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="5"/></svg>',
        "drawing.svg",
        "This is not a JPEG, PNG, WebP or GIF image.",
    ),
    "an SVG with script": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
        "drawing.svg",
        "This is not a JPEG, PNG, WebP or GIF image.",
    ),
    "an HTML file named .png": (
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        "cat.png",
        "This is not a JPEG, PNG, WebP or GIF image.",
    ),
    "a JPEG with script in its comment": (
        _jpeg_with_script_in_comment(),
        "photo.jpg",
        "The file holds HTML or script; it is not kept. Export the picture again.",
    ),
    "a PNG whose text chunk is HTML": (
        None,  # built in the test (needs PngInfo)
        "chart.png",
        "The image's comment or metadata holds HTML or script; it is not kept.",
    ),
    "a JPEG with HTML appended after the picture": (
        picture("JPEG") + b"<html><body><script>alert(1)</script>",
        "photo.jpg",
        "The file holds HTML or script; it is not kept. Export the picture again.",
    ),
    "a decompression bomb under Pillow's own limit": (
        _bomb((10_000, 5_000)),
        "bomb.png",
        "The image is 10,000 x 5,000 pixels; images are at most 40 megapixels.",
    ),
    "a decompression bomb over Pillow's own limit": (
        _bomb((20_000, 10_000)),
        "bomb.png",
        "The image has too many pixels; images are at most 40 megapixels.",
    ),
    "a truncated PNG": (
        picture("PNG", size=(200, 200))[:3000],
        "cut.png",
        "The image is truncated or damaged and cannot be read.",
    ),
    "a truncated JPEG": (
        picture("JPEG", size=(200, 200))[:2000],
        "cut.jpg",
        "The image is truncated or damaged and cannot be read.",
    ),
    "an empty file": (b"", "empty.png", "The file is empty."),
    "a BMP": (picture("BMP"), "old.bmp", "This is not a JPEG, PNG, WebP or GIF image."),
}


def _refusal_bytes(case: str) -> bytes:
    data = REFUSALS[case][0]
    if data is None:
        from PIL.PngImagePlugin import PngInfo

        text = PngInfo()
        text.add_text("Comment", '<img src=x onerror="alert(1)">')
        data = picture("PNG", pnginfo=text)
    return data


@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_bad_file_is_refused_with_a_message_and_nothing_is_stored(editor_client, case):
    _, name, message = REFUSALS[case]

    response = upload(editor_client, _refusal_bytes(case), name=name)

    assert response.status_code == 400, (case, response.content)
    assert response.json() == {"error": message}
    assert stored_names() == []


@pytest.mark.parametrize("case", list(REFUSALS))
def test_the_service_refuses_the_same_files_and_stores_nothing(case):
    with pytest.raises(ImageRefused, match=re.escape(REFUSALS[case][2])):
        image_store(data=_refusal_bytes(case))
    assert stored_names() == []


def test_a_body_over_the_cap_is_refused_from_its_length_before_it_is_read(editor_client):
    too_big = picture("PNG") + b"\0" * (MAX_IMAGE_BYTES + 100 * 1024)

    response = upload(editor_client, too_big)

    assert response.status_code == 413
    assert response.json() == {"error": "The image is larger than 5 MB, the most an image may be."}
    assert stored_names() == []


def test_a_file_just_over_the_cap_inside_the_allowed_body_is_refused(editor_client):
    response = upload(editor_client, b"\x89PNG" + b"\0" * MAX_IMAGE_BYTES)

    assert response.status_code == 400
    assert response.json()["error"].startswith("The image is 5,242,884 bytes; images are at most 5 MB")
    assert stored_names() == []


def test_a_post_without_a_file_is_refused(editor_client):
    response = editor_client.post(UPLOAD, {"other": "x"})

    assert response.status_code == 400
    assert response.json() == {"error": "No image was sent: choose, paste or drop a picture file."}


# --- Who may upload, and how -------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "staff", "expected"),
    [
        (None, False, False),
        ("Reader", False, False),
        ("Moderator", False, False),
        ("Editor", False, True),
        ("Reviewer", False, True),
        (None, True, True),
    ],
)
def test_whoever_proposes_edits_may_upload_images(role, staff, expected):
    user = make_user(f"user-{role}-{staff}", role=role, staff=staff)
    assert permissions.can_upload_image(user) is expected
    assert permissions.can_upload_image(AnonymousUser()) is False


@pytest.mark.parametrize("who", ["anonymous", "reader", "outsider", "moderator"])
def test_visitors_who_do_not_edit_are_refused_403_and_nothing_is_stored(client_for, request, who):
    client = client_for(None if who == "anonymous" else request.getfixturevalue(who))

    response = upload(client, picture("PNG"))

    assert response.status_code == 403
    assert response.json() == {"error": "Only editors may add images. Sign in with an editor's account."}
    assert stored_names() == []


def test_the_upload_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    refused = upload(client, picture("PNG"))
    assert refused.status_code == 403
    assert stored_names() == []

    client.get(reverse("notes:book-new"))  # any editor page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        UPLOAD, {"image": SimpleUploadedFile("a.png", picture("PNG"))}, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201
    assert len(stored_names()) == 1


def test_the_upload_answers_post_only(editor_client):
    assert editor_client.get(UPLOAD).status_code == 405
    assert stored_names() == []


# --- Serving -----------------------------------------------------------------------------


def test_a_stored_image_is_served_so_that_it_can_never_become_a_page(editor_client, client_for):
    name = upload(editor_client, picture("GIF")).json()["name"]

    response = client_for(None).get(f"/media/images/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert Image.open(BytesIO(b"".join(response.streaming_content))).format == "GIF"


def test_serving_an_image_runs_no_query_for_an_anonymous_reader(editor_client, django_assert_num_queries):
    name = upload(editor_client, picture("PNG")).json()["name"]
    with django_assert_num_queries(0):
        assert Client().get(f"/media/images/{name}").status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "../../wiki/settings.py",
        "..%2F..%2Fwiki%2Fsettings.py",
        "aaaaaaaaaaaaaaaaaaaaaa.html",
        "aaaaaaaaaaaaaaaaaaaaaa.svg",
        "short.png",
        "aaaaaaaaaaaaaaaaaaaaaa.png",  # the right shape, never stored
        "aaaaaaaaaaaaaaaaaaaaaa.png.html",
        "aaaaaaaaaaaaaaaaaaaaaa.PNG",
    ],
)
def test_only_stored_names_of_the_random_pattern_are_served(client_for, name):
    response = client_for(None).get(f"/media/images/{name}")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("image/")


def test_a_nul_in_the_name_is_a_bad_request(client_for):
    response = client_for(None).get("/media/images/aaaaaaaaaaaaaaaaaaaaaa.png%00.html")
    assert response.status_code == 400


@override_settings(WIKI_PUBLIC_READ=False)
def test_images_of_a_private_wiki_are_for_signed_in_readers(editor_client, client_for, reader):
    name = upload(editor_client, picture("PNG")).json()["name"]

    assert client_for(None).get(f"/media/images/{name}").status_code == 302
    assert client_for(reader).get(f"/media/images/{name}").status_code == 200


def test_the_storage_is_the_media_folder_with_the_default_backend(editor_client, tmp_path):
    file_system = {**IN_MEMORY, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    with override_settings(STORAGES=file_system, MEDIA_ROOT=tmp_path):
        name = upload(editor_client, picture("WEBP")).json()["name"]
        assert (tmp_path / "images" / name).is_file()
        assert editor_client.get(f"/media/images/{name}")["Content-Type"] == "image/webp"


# --- The Markdown it inserts -------------------------------------------------------------


def test_the_inserted_markdown_renders_as_a_same_origin_image(editor_client):
    answer = upload(editor_client, picture("PNG"), name="chart.png").json()

    assert render_markdown(answer["markdown"]) == f'<p><img src="{answer["url"]}" alt="chart"></p>\n'


@pytest.mark.parametrize(
    "source", ["https://tracker.example/p.png", "//tracker.example/p.png", "/\\tracker.example/p.png"]
)
def test_outside_images_are_dropped_unless_the_setting_allows_them(source):
    assert "tracker.example" not in render_markdown(f"![x]({source})")
    with override_settings(WIKI_ALLOW_OUTSIDE_IMAGES=True):
        assert "tracker.example" in render_markdown(f"![x]({source})")


def test_links_to_other_sites_are_kept_whatever_the_image_setting():
    assert 'href="https://example.org/"' in render_markdown("[a site](https://example.org/)")


@pytest.mark.parametrize(
    "path",
    [
        "/books/test-book/chapters/1/edit/",
        "/books/test-book/chapters/new/",
        "/books/test-book/edit/",
        "/books/new/",
    ],
)
def test_every_editor_page_offers_the_image_upload(editor_client, book, path):
    html = editor_client.get(path).content.decode()

    assert 'data-upload-url="/images/upload/"' in html
    assert 'data-textarea="id_body"' in html
    assert "js/image_upload.js" in html
