"""Interop: the tracker's data in other people's formats.

::

    export.py       the lossless JSON Lines export (``claims export``), streamed
    importer.py     its import into an empty database (``claims import``), all or nothing
    records.py      the export format: header and record models, shared by both
    claimreview.py  schema.org ClaimReview JSON-LD for claims with a verdict
    csvout.py       the claim list as CSV, streamed
    atom.py         the Atom feed of verdicts and corrections
    labels.py       status names and the rating scale, for people outside the tracker
    terminal.py     the export and import commands' progress bar and input files

Like the rest of ``claims``, nothing here imports FastAPI: ``api/routes/interop.py`` and
``claims/cli.py`` call these modules and shape the answer.
"""
