"""Reading the QR codes printed on a PDF (pypdfium2 renders the page, zxing-cpp decodes)."""

from __future__ import annotations


def qr_texts(pdf: bytes, page: int = 0) -> list[str]:
    import pypdfium2
    import zxingcpp

    image = pypdfium2.PdfDocument(pdf)[page].render(scale=3).to_pil()
    return [
        code.text
        for code in zxingcpp.read_barcodes(image)
        if code.format == zxingcpp.BarcodeFormat.QRCode
    ]
