"""One error shape for every 4xx of the API: ``{"error": {"parameter", "message", "code"}}``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


class ParameterError(exceptions.APIException):
    """A request parameter (query string or path) that the API cannot serve."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Invalid parameter.")
    default_code = "invalid"

    def __init__(self, parameter, message, code=None, status_code=None):
        super().__init__(message, code or self.default_code)
        self.parameter = parameter
        if status_code is not None:
            self.status_code = status_code


class ParameterNotFound(ParameterError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"


def _first_message(detail):
    """The first message of a DRF error detail, and the name of the field it belongs to."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            parameter, message = _first_message(value)
            return (parameter or (None if key == "non_field_errors" else key)), message
        return None, ""
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else (None, "")
    return None, str(detail)


def _code(detail):
    if isinstance(detail, dict):
        return next((_code(value) for value in detail.values()), "invalid")
    if isinstance(detail, list):
        return _code(detail[0]) if detail else "invalid"
    return getattr(detail, "code", None) or "invalid"


def exception_handler(exc, context):
    """DRF's handler, with every error body reshaped to the API's single error shape."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    parameter = getattr(exc, "parameter", None)
    detail = getattr(exc, "detail", response.data)
    found_parameter, message = _first_message(detail)
    response.data = {
        "error": {
            "parameter": parameter or found_parameter,
            "message": message,
            "code": _code(detail),
        }
    }
    return response
