"""Read a config file's text, refusing binary files by name."""


def read_config_text(filename: str, kind: str = 'config file') -> str:
    """The text of a config file; ``ValueError`` naming it when it is not
    UTF-8 text (e.g. a binary file given by mistake)."""
    with open(filename, 'rb') as file:
        data = file.read()
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as error:
        raise ValueError(
            f'{kind} {filename!r} is not UTF-8 text (byte {error.start}: '
            f'{error.reason}); is it a binary file?') from None
    if '\0' in text:
        raise ValueError(f'{kind} {filename!r} holds NUL bytes; is it a '
                         'binary file?')
    return text
