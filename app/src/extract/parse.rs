//! The parsers of uploaded documents (PDF, Word). They read hostile bytes, so they never run
//! in the server process: `server extract-text` calls [`text_of`] in a child process with
//! limits on memory, CPU time and output (see `extract.rs`). Nothing here is called by a
//! request directly.

use std::io::Read;

/// A format that needs a parser, and so a child process, to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Docx,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pdf" => Some(Self::Pdf),
            "docx" => Some(Self::Docx),
            _ => None,
        }
    }
}

/// The most a Word document's main part may inflate to. A zip bomb stops here, read in
/// pieces, before its size reaches the memory limit.
pub const MAX_DOCX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file could not be read, for the child's standard error (never shown to users).
pub type ParseError = String;

/// The text of a document of `kind`.
pub fn text_of(kind: FileKind, bytes: &[u8]) -> Result<String, ParseError> {
    match kind {
        FileKind::Pdf => pdf_text(bytes),
        FileKind::Docx => docx_text(bytes),
    }
}

fn pdf_text(bytes: &[u8]) -> Result<String, ParseError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err("not a PDF: no %PDF- header".into());
    }
    let document = lopdf::Document::load_mem(bytes).map_err(|e| format!("load: {e}"))?;
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document
        .extract_text(&pages)
        .map_err(|e| format!("text: {e}"))
}

/// The text of `word/document.xml`: the runs' text (`w:t`), with a line per paragraph and
/// tabs and breaks kept.
fn docx_text(bytes: &[u8]) -> Result<String, ParseError> {
    use quick_xml::events::Event;

    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a zip archive: {e}"))?;
    let part = archive
        .by_name("word/document.xml")
        .map_err(|e| format!("no word/document.xml: {e}"))?;
    let mut xml = Vec::new();
    part.take(MAX_DOCX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| format!("inflate: {e}"))?;
    if xml.len() as u64 > MAX_DOCX_XML_BYTES {
        return Err(format!(
            "word/document.xml inflates past {MAX_DOCX_XML_BYTES} bytes"
        ));
    }

    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut text = String::new();
    let mut in_text = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == "w:t" => in_text = true,
            Ok(Event::End(e)) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => text.push('\n'),
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.name().as_ref() {
                "w:tab" => text.push('\t'),
                "w:br" | "w:cr" => text.push('\n'),
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                text.push_str(&t.xml10_content());
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                let name: &str = r.as_ref();
                text.push_str(&entity(name).ok_or_else(|| format!("unknown entity &{name};"))?);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("xml at {}: {e}", reader.error_position())),
        }
        buf.clear();
    }
    Ok(text)
}

/// The character an XML entity reference names (the predefined five and numeric ones).
fn entity(name: &str) -> Option<String> {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => name.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some(c.to_string())
}

/// Documents as writers make them, for tests here and in `server`.
pub mod samples {
    use std::io::Write;

    /// A one-page PDF saying `text`.
    pub fn pdf_saying(text: &str) -> Vec<u8> {
        use lopdf::content::{Content, Operation};
        use lopdf::{Document, Object, Stream, dictionary};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let resources_id = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        });
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 14.into()]),
                Operation::new("Td", vec![72.into(), 700.into()]),
                Operation::new("Tj", vec![Object::string_literal(text)]),
                Operation::new("ET", vec![]),
            ],
        };
        let encoded = content.encode().unwrap_or_default();
        let content_id = doc.add_object(Stream::new(dictionary! {}, encoded));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
                "Resources" => resources_id,
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut bytes = Vec::new();
        let _ = doc.save_to(&mut bytes);
        bytes
    }

    /// A Word document whose paragraphs are `paragraphs` (text is escaped).
    pub fn docx_saying(paragraphs: &[&str]) -> Vec<u8> {
        let body: String = paragraphs
            .iter()
            .map(|p| {
                let escaped = p.replace('&', "&amp;").replace('<', "&lt;");
                format!(r#"<w:p><w:r><w:t xml:space="preserve">{escaped}</w:t></w:r></w:p>"#)
            })
            .collect();
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        zip_of(&[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("word/document.xml", document.as_bytes()),
        ])
    }

    /// A zip archive holding `entries`, deflated.
    pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        for (name, bytes) in entries {
            let _ = out.start_file(*name, options);
            let _ = out.write_all(bytes);
        }
        out.finish().map(|c| c.into_inner()).unwrap_or_default()
    }

    const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;

    #[test]
    fn the_text_of_a_pdf_is_read_out() {
        let text = text_of(FileKind::Pdf, &pdf_saying("Cleaning costs 80 dollars")).unwrap();
        assert!(text.contains("Cleaning costs 80 dollars"), "{text:?}");
    }

    #[test]
    fn the_paragraphs_of_a_word_document_are_read_out() {
        let text = text_of(
            FileKind::Docx,
            &docx_saying(&["Opening hours", "Mon–Fri 9 & 5 <closed Sundays>"]),
        )
        .unwrap();
        assert_eq!(text, "Opening hours\nMon–Fri 9 & 5 <closed Sundays>\n");
    }

    #[test]
    fn what_is_not_the_claimed_format_is_an_error() {
        assert!(text_of(FileKind::Pdf, b"%PDF-1.4 nonsense").is_err());
        assert!(text_of(FileKind::Pdf, b"hello, not a pdf").is_err());
        assert!(text_of(FileKind::Docx, b"PK\x03\x04 truncated").is_err());
        assert!(text_of(FileKind::Docx, &zip_of(&[("a.txt", b"hi")])).is_err());
        let pdf = pdf_saying("cut short");
        assert!(text_of(FileKind::Pdf, &pdf[..pdf.len() / 2]).is_err());
    }

    #[test]
    fn a_word_document_that_inflates_past_the_cap_is_refused() {
        let huge = vec![b' '; MAX_DOCX_XML_BYTES as usize + 10];
        let bomb = zip_of(&[("word/document.xml", &huge)]);
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        let err = text_of(FileKind::Docx, &bomb).unwrap_err();
        assert!(err.contains("inflates past"), "{err}");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(entity("amp").as_deref(), Some("&"));
        assert_eq!(entity("#x41").as_deref(), Some("A"));
        assert_eq!(entity("#66").as_deref(), Some("B"));
        assert_eq!(entity("#xD800"), None);
        assert_eq!(entity("nbsp"), None);
    }
}
