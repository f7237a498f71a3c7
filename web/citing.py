"""How to cite OA Evidence: the whole data set or one project's record, as text, BibTeX and RIS.

A citation names the data version, so a reader can fetch exactly what was cited."""

from __future__ import annotations

from dataclasses import dataclass

PUBLISHER = "OA Evidence"
DATASET_TITLE = "OA Evidence: England's Opportunity Areas school-improvement projects"


@dataclass(frozen=True)
class Work:
    """What is cited: a title, where it is, which data version, and the year that version was loaded."""

    key: str
    title: str
    url: str
    version: str
    year: int | None
    licence: str
    note: str = ""

    @property
    def text(self) -> str:
        year = self.year or "n.d."
        return f"{PUBLISHER} ({year}). {self.title}, data version {self.version} [data set]. {self.url}. " \
               f"Licence: {self.licence}."

    @property
    def bibtex(self) -> str:
        note = " ".join(filter(None, ["Data set.", self.note, f"Licence: {self.licence}."]))
        fields = [("author", f"{{{PUBLISHER}}}"), ("title", _bibtex_escape(self.title)),
                  ("year", str(self.year or "")), ("version", self.version), ("publisher", PUBLISHER),
                  ("howpublished", f"\\url{{{self.url}}}"), ("url", self.url),
                  ("note", _bibtex_escape(note))]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    @property
    def ris(self) -> str:
        # RIS: one "TAG  - value" per line, DATA for a data set, ending with ER (CRLF is the format's own).
        lines = [("TY", "DATA"), ("AU", PUBLISHER), ("TI", self.title), ("PY", str(self.year or "")),
                 ("PB", PUBLISHER), ("ET", self.version), ("UR", self.url), ("N1", self.note),
                 ("N1", f"Licence: {self.licence}"), ("ER", "")]
        return "".join(f"{tag}  - {value}\r\n" for tag, value in lines if value or tag == "ER")


def dataset_work(*, url: str, version: dict, licence: str) -> Work:
    return Work(key=f"oaevidence_{version['hash']}", title=DATASET_TITLE, url=url, version=version["hash"],
                year=_year(version), licence=licence)


def project_work(*, project, url: str, version: dict, licence: str, sources: list) -> Work:
    """One project's curated record; the note names the documents its figures come from."""
    title = f"{project.title} ({project.area.name}, {project.years_label})"
    note = "Curated from: " + "; ".join(f"{source.publisher}, {source.title}" for source in sources) + "." \
        if sources else ""
    return Work(key=f"oaevidence_{project.slug.replace('-', '_')}_{version['hash']}", title=title, url=url,
                version=version["hash"], year=_year(version), licence=licence, note=note)


def _year(version: dict) -> int | None:
    return version["loaded_at"].year if version.get("loaded_at") else None


def _bibtex_escape(value: str) -> str:
    for char in "&%$#_":
        value = value.replace(char, "\\" + char)
    return value
