"""Documents (文书): one capability every domain uses to produce its standard documents.

A domain registers each document kind it owns (`kinds.register`) with a builder that turns the case's
data into a context; this package renders the kind's current template version (a .docx file with Jinja
tags, docxtpl) into Word, stores the file with its template version and SHA-256, audits it, and renders a
PDF from the stored Word file with the Noto CJK font (fpdf2, ADR 0021). It imports only `core` and
`courts`: domains call it, never the other way round.
"""
