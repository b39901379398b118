"""Program registration rules that need no database: fields, order, completeness, PDFs, summary."""

from __future__ import annotations

import io
from datetime import date

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from bot.conversations.program_views import summary_text
from bot.domain.errors import DomainError
from bot.i18n import Translator
from bot.services.attachments import inspect_pdf, merge_pdfs
from bot.services.program_registry import (
    FIELD_BY_NAME,
    ProgramDetails,
    check_submittable,
    missing_fields,
    next_field,
    parse_field,
    parse_url,
    previous_field,
)
from bot.storage.models import Agency, HostCompany, Job, Program


def pdf(*pages: str) -> bytes:
    doc = FPDF()
    for text in pages:
        doc.add_page()
        doc.set_font("helvetica", size=20)
        doc.cell(text=text)
    return bytes(doc.output())


def parse(name: str, raw: str, mode: str = "utf-8") -> object:
    return parse_field(FIELD_BY_NAME[name], raw, mode)


def code_of(name: str, raw: str, mode: str = "utf-8") -> str:
    with pytest.raises(DomainError) as error:
        parse(name, raw, mode)
    return error.value.code


# --- fields ------------------------------------------------------------------------------


def test_numbers_dates_and_choices() -> None:
    assert parse("total_recruitment", " 10명 ") == 10
    assert parse("weekly_hours", "２５시간") == 25
    assert code_of("total_recruitment", "열 명") == "progreg.int_format"
    assert code_of("total_recruitment", "0") == "progreg.int_range"
    assert code_of("weekly_hours", "60") == "progreg.int_range"
    assert parse("period_start", "2026. 3. 5.") == date(2026, 3, 5)
    assert code_of("period_end", "2026-02-30") == "date.invalid"
    assert parse("region", "서울") == "서울"
    assert code_of("region", "뉴욕") == "progreg.choice"
    assert parse("type", "esg") == "esg"
    assert parse("resume_required", "0") is False


def test_public_phones_refuse_mobile_numbers() -> None:
    for name in ("training_phone", "contact_phone", "contact_fax"):
        assert code_of(name, "010-1234-5678") == "phone.mobile_not_allowed"
        assert parse(name, "0260503795") == "02-6050-3795"
        assert parse(name, "1588-1234") == "1588-1234"


def test_training_content_bytes_in_each_mode() -> None:
    assert parse("training_content", "가" * 500) == "가" * 500
    with pytest.raises(DomainError) as error:
        parse("training_content", "가" * 500 + "a")
    assert error.value.params == {"used": 1501, "limit": 1500, "mode": "utf-8"}
    assert parse("training_content", "가" * 750, "cp949") == "가" * 750
    with pytest.raises(DomainError) as error:
        parse("training_content", "가" * 750 + "a", "cp949")
    assert error.value.params["used"] == 1501
    # decomposed Hangul (macOS) is composed before counting
    decomposed = "\u1100\u1161" * 500
    assert parse("training_content", decomposed) == "가" * 500


def test_urls_and_emails() -> None:
    assert parse_url("www.korcham.net") == "https://www.korcham.net"
    assert parse_url("http://example.org/a?b=1") == "http://example.org/a?b=1"
    for bad in ("ftp://example.org", "https://localhost", "exa mple.org", "javascript:alert(1)"):
        with pytest.raises(DomainError):
            parse_url(bad)
    assert parse("contact_email", " Edu@Example.ORG ").lower() == "edu@example.org"
    assert code_of("contact_email", "edu@") == "email.format"


def test_text_is_required_and_bounded() -> None:
    assert code_of("name", "   ") == "text.empty"
    assert code_of("name", "가" * 201) == "text.too_long"
    assert (
        parse("work_address", "  서울시 중구 세종대로 39, 2층 ") == "서울시 중구 세종대로 39, 2층"
    )


# --- order and completeness --------------------------------------------------------------


def program(**values: object) -> Program:
    base: dict[str, object] = {"type": "intern", "name": "P", "training_required": None}
    base.update(values)
    return Program(**base)


def test_step_order_depends_on_type_and_training() -> None:
    intern = program()
    assert next_field(intern, None) == "type"
    assert next_field(intern, "completion_benefit") == "work_address"  # no proposal text
    assert next_field(intern, "training_required") == "contact_name"  # training not yet "yes"
    project = program(type="project")
    assert next_field(project, "completion_benefit") == "proposal_text"
    trained = program(training_required=True)
    assert next_field(trained, "training_required") == "training_institution"
    assert previous_field(trained, "contact_name") == "training_homepage"
    assert next_field(trained, "internal_notes") is None


def test_resume_walks_only_empty_required_fields() -> None:
    draft = program(total_recruitment=3, period_start=date(2030, 4, 1))
    assert next_field(draft, None, only_empty=True) == "period_end"
    assert next_field(draft, "contact_phone", only_empty=True) is None  # fax etc. optional


def test_missing_fields_follow_the_type() -> None:
    missing = missing_fields(program(type="project", training_required=False))
    assert "proposal_text" in missing and "training_institution" not in missing
    assert "internal_notes" not in missing and "contact_fax" not in missing
    assert "training_content" in missing_fields(program(training_required=True))


def complete(program_type: str = "intern", **values: object) -> Program:
    fields = {
        name: "x"
        for name, spec in FIELD_BY_NAME.items()
        if spec.kind in ("text", "longtext", "email", "phone")
    }
    fields.update(
        type=program_type,
        name="완성",
        total_recruitment=3,
        period_start=date(2030, 4, 1),
        period_end=date(2030, 5, 1),
        weekly_hours=25,
        region="서울",
        resume_required=False,
        training_required=False,
        attachment_file_id=1,
        status="draft",
    )
    fields.update(values)
    return Program(**fields)


def details(p: Program, companies: list[int] = (), jobs: list[int] = ()) -> ProgramDetails:
    return ProgramDetails(
        p,
        "기관",
        [
            HostCompany(id=i + 1, name=f"C{i}", headcount=n, insured_check="pending")
            for i, n in enumerate(companies)
        ],
        [Job(id=i + 1, name=f"J{i}", headcount=n) for i, n in enumerate(jobs)],
    )


def test_submittable_needs_units_and_matching_sums() -> None:
    check_submittable(details(complete(), companies=[2, 1]))
    check_submittable(details(complete("project"), jobs=[3]))
    with pytest.raises(DomainError) as error:
        check_submittable(details(complete(), companies=[]))
    assert error.value.code == "progreg.incomplete"
    assert error.value.params["fields"] == ["companies"]
    with pytest.raises(DomainError) as error:
        check_submittable(details(complete(), companies=[2, 2]))
    assert error.value.code == "recruit.sum_mismatch" and error.value.params["diff"] == -1
    with pytest.raises(DomainError) as error:
        check_submittable(details(complete(attachment_file_id=None), companies=[3]))
    assert error.value.params["fields"] == ["attachment"]


# --- PDFs --------------------------------------------------------------------------------


def test_pdf_checks() -> None:
    assert inspect_pdf(pdf("A", "B")).pages == 2
    with pytest.raises(DomainError) as error:
        inspect_pdf(b"PK\x03\x04 a docx", "a.docx")
    assert error.value.code == "progfile.not_pdf"
    with pytest.raises(DomainError) as error:
        inspect_pdf(b"%PDF-1.7 nothing else", "b.pdf")
    assert error.value.code == "progfile.corrupt"
    with pytest.raises(DomainError) as error:
        inspect_pdf(b"", "c.pdf")
    assert error.value.code == "progfile.empty"
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf("S"))))
    writer.encrypt("pw")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(DomainError) as error:
        inspect_pdf(out.getvalue(), "d.pdf")
    assert error.value.code == "progfile.encrypted"


def test_merge_keeps_the_order() -> None:
    merged = merge_pdfs([pdf("PLAN-1", "PLAN-2"), pdf("TRAINING-1")])
    texts = [page.extract_text().strip() for page in PdfReader(io.BytesIO(merged)).pages]
    assert texts == ["PLAN-1", "PLAN-2", "TRAINING-1"]


# --- summary -----------------------------------------------------------------------------


def test_summary_escapes_and_fits_one_message() -> None:
    t = Translator().bind("ko")
    p = complete(name="R&D <팀>", schedule="<b>" * 2000, job_description="&" * 3000)
    p.agency = Agency(corporate_name="기관")
    text = summary_text(t, details(p, companies=[3]))
    assert len(text) <= 4000
    assert "R&amp;D &lt;팀&gt;" in text and "<b>R&D" not in text
    assert "&lt;b&gt;" in text
