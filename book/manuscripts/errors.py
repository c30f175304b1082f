"""The one error a manuscript that cannot be imported raises, with the reason in words."""


class ManuscriptError(Exception):
    """A file that is refused whole: nothing of it is imported, nothing is written."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)
