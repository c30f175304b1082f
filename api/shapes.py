"""The parts of the API's documents (references, credits, images, states...), each declared once.

A part is declared as a class of typed fields, each carrying the serializer field that
describes it (``value``), or the part of another shape it holds (``part``). The
declaration is a dataclass: the code that builds a document constructs each part through
it, by name, so a field left out or unknown is an error where the part is built, not a
key the schema does not know. Its serializer (``Shape.serializer``, named after the
class: the schema's component) is generated from the same fields, in the same order, and
gives out each part as a dict of its fields in that order (``represent``). A shape that
extends another (a credit is a reference with a role) is its subclass, with the fields of
its base first.

The values are given out as they were built: no serializer field reads them again. That
would only copy each one, at a cost that grows with every credit, theme and image of a
document; a UUID or a datetime is left for the JSON renderer to write, as it always was.
"""

import copy
import dataclasses

from rest_framework import serializers

# Where a field's declaration keeps what describes it and how the part it holds is given out.
SERIALIZER_FIELD = "serializer_field"
REPRESENT = "represent"


def value(field, represent=None):
    """A field described in the schema by ``field``, its value given out as it was built, or as
    ``represent`` makes it of what was built."""
    metadata = {SERIALIZER_FIELD: field}
    if represent is not None:
        metadata[REPRESENT] = represent
    return dataclasses.field(metadata=metadata)


def part(shape, many=False, **options):
    """A field holding a part of ``shape`` (a list of them with ``many``; None when ``allow_null``)."""
    represent = shape.represent
    if many:

        def convert(parts):
            return [represent(item) for item in parts]

    else:

        def convert(item):
            return None if item is None else represent(item)

    return value(shape.serializer(many=many, **options), convert)


class OrderedSerializer(serializers.Serializer):
    """A serializer whose fields are ``ordered_fields``, in the order of that dict: the order in which
    the documents give them.

    DRF orders the fields declared on a class by when each was made, which puts a field an extension
    declares again (to describe it otherwise) last, and a nested serializer made beforehand first.
    """

    ordered_fields = {}

    def get_fields(self):
        return copy.deepcopy(self.ordered_fields)


class ShapeSerializer(OrderedSerializer):
    """The serializer of a shape: its fields (``ordered_fields``, one for each field of the shape, set
    by ``shape``) describe the part (the OpenAPI schema reads them), and the part is given out by the
    shape's own ``represent``, without going through them."""

    def to_representation(self, instance):
        return instance.represent()


def _representer(fields):
    """The function that gives a part out: a dict of its fields, in their order."""
    names = tuple(field.name for field in fields)
    converted = tuple(
        (field.name, field.metadata[REPRESENT]) for field in fields if REPRESENT in field.metadata
    )

    def represent(instance):
        result = {name: getattr(instance, name) for name in names}
        for name, convert in converted:
            result[name] = convert(result[name])
        return result

    return represent


def shape(cls):
    """Make ``cls`` a shape: a dataclass built by keyword only, its ``represent`` and its ``serializer``."""
    # Read before the dataclass writes its signature there, which is no description.
    doc = cls.__dict__.get("__doc__")
    cls = dataclasses.dataclass(slots=True, kw_only=True)(cls)
    fields = dataclasses.fields(cls)
    cls.represent = _representer(fields)
    cls.serializer = type(
        f"{cls.__name__}Serializer",
        (ShapeSerializer,),
        {
            "ordered_fields": {field.name: field.metadata[SERIALIZER_FIELD] for field in fields},
            "__module__": cls.__module__,
            "__doc__": doc,
        },
    )
    return cls
