"""Errors that stop a build because of its input (exit code 2)."""


class InputError(Exception):
    """Bad input: reported as one line `error: FILE:LINE: message`."""

    def __init__(self, path, line, message):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = str(path), line, message
