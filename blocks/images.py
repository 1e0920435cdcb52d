"""Uploaded images: checked by Pillow, re-encoded without metadata, served as resized renditions.

An upload is refused unless it is a JPEG, PNG, WebP or HEIC/HEIF (what iPhones save, stored as
a JPEG) of at most 10 MB and 40 megapixels that Pillow can decode completely. What is stored is
never the uploaded file itself: the picture is turned the right way up (EXIF orientation),
re-encoded without any metadata (no camera, date or GPS position), and resized copies for pages
are written next to it when the model is saved, so no request ever waits for a resize. A
replaced or removed image, or that of a deleted object, is deleted with its renditions once the
change commits. This module imports no app.
"""

import io
import math
import posixpath
import warnings

import pillow_heif
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.signals import post_delete
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow warns above MAX_IMAGE_PIXELS and refuses outright above twice that. Lowering it from
# its default (about 89 MP) to our own limit means a "decompression bomb" (a small file that
# claims to be an enormous picture) is stopped by Pillow before any memory is allocated for it,
# here and anywhere else the process opens an image.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Lets Pillow open HEIC/HEIF. pillow-heif turns the picture upright as it opens it.
pillow_heif.register_heif_opener()

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Many phones and cameras save JPEGs with extra pictures inside (depth maps, previews), which
# Pillow reads as "MPO". To the editor they are JPEGs: the main picture is kept, as a JPEG.
# Browsers other than Safari cannot show HEIF, so an iPhone's photo is kept as a JPEG too.
READ_AS = {"MPO": "JPEG", "HEIF": "JPEG"}
# What people may choose, for messages and for the file chooser's accept attribute.
ACCEPTED = "JPEG, PNG, WebP or HEIC"
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif"
HOW_TO_GET_A_PHOTO = (
    "On an iPhone or Android phone, take a screenshot of the picture and choose the "
    "screenshot. On a computer, open the picture and save it as a JPEG."
)
RENDITION_WIDTHS = (160, 320, 640)
RENDITION_FORMATS = {"webp": "WEBP", "jpg": "JPEG"}

MESSAGES = {
    "too_big": "The file is %(size)s. Images can be at most 10 MB: save it smaller and upload "
    "it again.",
    "not_image": "This file is not a picture Pillow can read, or it is damaged. Upload a "
    f"{ACCEPTED} image. {HOW_TO_GET_A_PHOTO}",
    "wrong_format": f"This is a %(format)s image. Upload a {ACCEPTED} image. {HOW_TO_GET_A_PHOTO}",
    "too_many_pixels": "The image is %(width)s × %(height)s pixels (%(megapixels)s megapixels). "
    "Images can be at most 40 megapixels: resize it and upload it again.",
    "bomb": "This file claims to be an enormous picture, far over the 40 megapixel limit, and "
    f"was not opened for safety. Upload an ordinary {ACCEPTED} image.",
    "broken": "The image could not be read to the end: the file is damaged or incomplete. Save "
    "it again and upload the new copy.",
}


def _round_up(number):
    # Rounded up, so that a file just over a limit never reads as exactly the limit.
    return f"{math.ceil(number * 10) / 10:.1f}"


def _rewind(file):
    if hasattr(file, "seek"):
        file.seek(0)


def open_checked(file):
    """Open ``file`` with Pillow and decode it fully, or raise a ValidationError saying why not.

    Returns the loaded ``PIL.Image.Image``. ``file`` is any file-like object with ``size``
    (an upload, a Django ``File``) or a plain binary stream.
    """
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            MESSAGES["too_big"], code="too_big", params={"size": f"{_round_up(size / 2**20)} MB"}
        )
    _rewind(file)
    try:
        with warnings.catch_warnings():
            # Between the limit and twice it Pillow only warns; the pixel count is checked just
            # below, with a message that gives the size, so the warning itself adds nothing.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(file)
            if READ_AS.get(image.format, image.format) not in FORMATS:
                raise ValidationError(
                    MESSAGES["wrong_format"],
                    code="wrong_format",
                    params={"format": image.format or "unknown"},
                )
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    MESSAGES["too_many_pixels"],
                    code="too_many_pixels",
                    params={
                        "width": f"{width:,}",
                        "height": f"{height:,}",
                        "megapixels": _round_up(width * height / 1_000_000),
                    },
                )
            try:
                image.load()
            except (OSError, SyntaxError, ValueError) as exc:
                raise ValidationError(MESSAGES["broken"], code="broken") from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError(MESSAGES["bomb"], code="bomb") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(MESSAGES["not_image"], code="not_image") from exc
    finally:
        _rewind(file)
    return image


def validate_image(value):
    """Model field validator: check a newly uploaded image (files already stored are trusted)."""
    if not value or getattr(value, "_committed", False):
        return
    open_checked(getattr(value, "file", value))


def _flatten(image, keep_alpha):
    """An RGB (or RGBA, when ``keep_alpha``) copy of ``image`` with no metadata."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if has_alpha and keep_alpha:
        clean = image.convert("RGBA")
    elif has_alpha:
        rgba = image.convert("RGBA")
        clean = Image.new("RGB", rgba.size, "white")
        clean.paste(rgba, mask=rgba.getchannel("A"))
    else:
        clean = image.convert("RGB")
    if clean is image:
        clean = image.copy()
    # Pillow only writes what is passed to save(), but clear what it read to be sure nothing
    # from the upload (EXIF, XMP, ICC, text chunks) can travel further.
    clean.info = {}
    return clean


def encode(image, image_format):
    """``image`` re-encoded as ``image_format`` bytes, without metadata."""
    buffer = io.BytesIO()
    if image_format == "JPEG":
        _flatten(image, keep_alpha=False).save(
            buffer, "JPEG", quality=85, optimize=True, progressive=True
        )
    elif image_format == "WEBP":
        _flatten(image, keep_alpha=True).save(buffer, "WEBP", quality=82)
    else:
        _flatten(image, keep_alpha=True).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def clean_upload(file):
    """Check ``file`` and return (image upright and stripped, its bytes, file extension)."""
    image = open_checked(file)
    image_format = READ_AS.get(image.format, image.format)
    upright = ImageOps.exif_transpose(image)
    upright = _flatten(upright, keep_alpha=image_format != "JPEG")
    return upright, encode(upright, image_format), FORMATS[image_format]


def rendition_widths(original_width):
    """The widths made for an image ``original_width`` pixels wide: never enlarged."""
    if not original_width:
        return list(RENDITION_WIDTHS)
    widths = [width for width in RENDITION_WIDTHS if width < original_width]
    largest = min(original_width, RENDITION_WIDTHS[-1])
    if largest not in widths:
        widths.append(largest)
    return widths


def rendition_name(name, width, extension):
    """Where the ``width``-pixel rendition of stored image ``name`` lives, e.g.
    ``team/kiran.jpg`` → ``team/renditions/kiran-320w.webp``."""
    directory, filename = posixpath.split(name)
    stem = posixpath.splitext(filename)[0]
    return posixpath.join(directory, "renditions", f"{stem}-{width}w.{extension}")


def resized(image, width):
    """``image`` scaled to ``width`` pixels wide, keeping its proportions."""
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def save_renditions(storage, name, image):
    """Write every rendition of ``image`` (stored as ``name``) to ``storage``."""
    for width in rendition_widths(image.width):
        smaller = resized(image, width)
        for extension, image_format in RENDITION_FORMATS.items():
            target = rendition_name(name, width, extension)
            # A stale file of the same name would make storage pick another name, and the
            # templates work the names out rather than look them up.
            storage.delete(target)
            storage.save(target, ContentFile(encode(smaller, image_format)))


def delete_renditions(storage, name, original_width):
    for width in rendition_widths(original_width):
        for extension in RENDITION_FORMATS:
            storage.delete(rendition_name(name, width, extension))


def delete_on_commit(storage, name, original_width):
    """Delete stored image ``name`` and its renditions once the transaction commits: a rolled
    back change or deletion keeps them. A photo of a person must not outlive its use."""

    def delete():
        storage.delete(name)
        delete_renditions(storage, name, original_width)

    transaction.on_commit(delete, robust=True)


class ImageFormField(forms.ImageField):
    """Gives our own messages (size, type, pixels, damage) before Django's generic one."""

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "read"):
            open_checked(data)
        return super().to_python(data)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs["accept"] = ACCEPTED_TYPES
        return attrs


class RenditionsFieldFile(models.fields.files.ImageFieldFile):
    @property
    def stored_width(self):
        return getattr(self.instance, self.field.width_field) if self.field.width_field else None

    @property
    def stored_height(self):
        if not self.field.height_field:
            return None
        return getattr(self.instance, self.field.height_field)

    def renditions(self, extension):
        """[(url, width)] of this image's renditions in one format, smallest first."""
        return [
            (self.storage.url(rendition_name(self.name, width, extension)), width)
            for width in rendition_widths(self.stored_width)
        ]


class ImageField(models.ImageField):
    """An ImageField whose uploads are checked, cleaned and given renditions when saved.

    Give it ``width_field`` and ``height_field`` (declared after it in the model) so pages know
    which renditions exist and can reserve the image's space without opening the file.
    """

    attr_class = RenditionsFieldFile
    default_validators = [validate_image]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageFormField, **kwargs})

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            post_delete.connect(self._delete_stored, sender=cls, weak=False)

    def _delete_stored(self, instance, **kwargs):
        file = getattr(instance, self.attname)
        if file:
            delete_on_commit(self.storage, file.name, file.stored_width)

    def _stored_before(self, instance):
        """(name, width) of the image the database holds for ``instance``, if any."""
        columns = [self.attname] + ([self.width_field] if self.width_field else [])
        row = type(instance)._base_manager.filter(pk=instance.pk).values_list(*columns).first()
        if not row or not row[0]:
            return None
        return row[0], (row[1] if self.width_field else None)

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        # Django measures a file as soon as it is assigned, before any validation: an unchecked
        # upload (a decompression bomb, say) is measured in pre_save() instead, once checked.
        if self.attname in instance.__dict__:
            file = getattr(instance, self.attname)
            if file and not file._committed:
                return
        super().update_dimension_fields(instance, force, *args, **kwargs)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        # A replaced or removed image goes, with its renditions. The database is asked only
        # when this save brings a new image or none.
        before = None
        if not add and model_instance.pk is not None and not (file and file._committed):
            before = self._stored_before(model_instance)
        if file and not file._committed:
            image, content, extension = clean_upload(file.file)
            stem = posixpath.splitext(posixpath.basename(file.name))[0]
            file.save(f"{stem}.{extension}", ContentFile(content), save=False)
            save_renditions(self.storage, file.name, image)
            if self.width_field:
                setattr(model_instance, self.width_field, image.width)
            if self.height_field:
                setattr(model_instance, self.height_field, image.height)
        # The new file may have taken the old one's name if that file was already gone.
        if before and before[0] != (file.name if file else None):
            delete_on_commit(self.storage, *before)
        return super().pre_save(model_instance, add)


def check_alt_text(image, alt, decorative, alt_field):
    """Raise a ValidationError on ``alt_field`` when an image has no description and is not
    marked decorative. Call it from the model's ``clean()``."""
    if image and not decorative and not (alt or "").strip():
        raise ValidationError(
            {
                alt_field: "Describe the image for people who cannot see it, or tick "
                "“decorative” if it adds nothing to the text."
            }
        )
