"""Errors that stop a build because of its input (exit code 2)."""


class InputError(Exception):
    """Bad input: reported as one line `error: FILE:LINE: message`."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = str(path), line, message


def type_name(value) -> str:
    """How TOML would call a value's type, for error messages."""
    for kind, name in ((bool, "true/false"), (int, "a whole number"), (float, "a number"),
                       (str, "a text"), (dict, "a table"), (list, "an array")):
        if isinstance(value, kind):
            return name
    return "a date or time"
