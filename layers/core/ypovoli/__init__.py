"""ypovoli — the domain shared by every Lambda function (the core layer).

Nothing in this package except ``store/`` and ``connectors/`` performs I/O; nothing imports chalice.
"""

__version__ = "0.1.0"
