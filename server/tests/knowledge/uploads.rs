//! Uploaded files: read into text, bad ones refused with a reason, hostile ones (nested,
//! inflating) costing their uploader one refusal while the server keeps answering.

use super::*;

/// The upload form's file, as the page sends it to be read.
fn upload(file_name: &str, bytes: &[u8]) -> ExtractText {
    ExtractText {
        slug: "demo".into(),
        file_name: file_name.into(),
        data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

#[tokio::test]
async fn uploads_are_read_into_text_and_bad_files_get_a_reason() {
    let app = TestApp::new().await;
    let mut owner = owner_of_demo(&app).await;

    let text = owner
        .call(upload("faq.md", "# FAQ\nWe take cards.".as_bytes()))
        .await;
    // Just under the 10 MB limit (the request body is about 13 MB of base64): read, but
    // more text than a document holds, which is said before anything is saved.
    let big = owner
        .call(upload("big.txt", &vec![b'a'; 10 * 1024 * 1024 - 1]))
        .await;
    let longest = owner
        .call(upload("longest.txt", &vec![b'a'; 1_000_000]))
        .await;
    let too_big = owner
        .call(upload("huge.txt", &vec![b'a'; 10 * 1024 * 1024 + 1]))
        .await;
    let word = owner
        .call(upload(
            "Clinic notes.docx",
            &samples::docx_saying(&["Parking is free", "Cards & cash"]),
        ))
        .await;
    let spreadsheet = owner.call(upload("prices.xlsx", b"PK")).await;

    let text = text.unwrap();
    assert_eq!(text.text, "# FAQ\nWe take cards.");
    assert_eq!(text.source.kind, "md");
    let big = big.unwrap_err();
    assert_eq!(big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        big.error
            .to_string()
            .contains("“big.txt” holds more than 1,000,000 characters")
    );
    assert!(longest.is_ok(), "a document's most text is read");
    let too_big = too_big.unwrap_err();
    assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_big.error.to_string().contains("larger than 10 MB"));
    let word = word.unwrap();
    assert_eq!(word.text, "Parking is free\nCards & cash");
    assert_eq!(word.source.kind, "docx");
    assert_eq!(word.suggested_title, "Clinic notes");
    let spreadsheet = spreadsheet.unwrap_err();
    assert_eq!(spreadsheet.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        spreadsheet
            .error
            .to_string()
            .contains("Upload a .txt, .md, .pdf or .docx file"),
        "{spreadsheet:?}"
    );
}

/// A PDF whose one object is an array nested `depth` deep, with a correct cross-reference
/// table so a parser reads it.
fn nested_pdf(depth: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots 5 0 R >>".to_owned(),
        "<< /Length 0 >>\nstream\n\nendstream".to_owned(),
        format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
    ];
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A PDF whose page lists one small FlateDecode stream `copies` times: each copy inflates
/// to 16 MiB, so the page's content is `copies` × 16 MiB.
fn inflating_pdf(copies: usize) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut stream = Stream::new(dictionary! {}, vec![b' '; 16 * 1024 * 1024]);
    stream.compress().unwrap();
    let content_id = doc.add_object(stream);
    let contents: Vec<Object> = (0..copies).map(|_| content_id.into()).collect();
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => contents,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

#[tokio::test]
async fn hostile_files_cost_their_uploader_one_refusal_while_the_server_keeps_answering() {
    let app = TestApp::new().await;
    let mut owner = owner_of_demo(&app).await;
    let valid = samples::pdf_saying("Cleaning costs 80 dollars");
    let bomb = inflating_pdf(256);
    assert!(
        bomb.len() < 10 * 1024 * 1024,
        "the bomb is {} bytes",
        bomb.len()
    );
    let zip_bomb = samples::zip_of(&[("word/document.xml", &vec![b' '; 80 * 1024 * 1024])]);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("nested.pdf", nested_pdf(200_000)),
        ("bomb.pdf", bomb),
        ("truncated.pdf", valid[..valid.len() / 3].to_vec()),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n not a pdf at all".to_vec()),
        ("bomb.docx", zip_bomb),
        ("broken.docx", b"PK\x03\x04 and then nothing".to_vec()),
    ];

    for (name, bytes) in cases {
        let started = std::time::Instant::now();
        let upload = owner.call(upload(name, &bytes));
        tokio::pin!(upload);
        // The server answers its health check the whole time the file is being read.
        let refused = loop {
            tokio::select! {
                response = &mut upload => break response,
                () = tokio::time::sleep(std::time::Duration::from_millis(50)) => {
                    let health = app.get(common::PLATFORM_HOST, "/api/health").await;
                    assert_eq!(health.status, StatusCode::OK, "{name}: health during the upload");
                }
            }
        };
        let refused = refused.unwrap_err();
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {refused:?}"
        );
        assert!(
            refused
                .error
                .to_string()
                .contains(&format!("“{name}” could not be read")),
            "{name}: {refused:?}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{name} took {:?}",
            started.elapsed()
        );
    }

    let read = owner.call(upload("Price list.pdf", &valid)).await.unwrap();
    assert!(read.text.contains("Cleaning costs 80 dollars"));
    assert_eq!(read.source.kind, "pdf");
    assert_eq!(read.suggested_title, "Price list");
}

/// The page's upload form: the file's text becomes a draft whose form opens next; a file
/// that cannot be used goes back to the form with the reason, and nothing is stored.
#[tokio::test]
async fn an_uploaded_file_becomes_a_draft_and_a_bad_one_says_why() {
    let app = TestApp::new().await;
    let ws = demo(&app).await;
    let mut owner = ws.org.person(PartnerRole::Owner).await.client().await;
    let viewer = ws.member(WorkspaceRole::Viewer).await.client().await;

    // The upload form is a plain multipart form posted to the page, not a server function.
    let read = owner
        .upload(
            "/w/demo/knowledge/upload",
            "Clinic FAQ.md",
            b"# FAQ\nWe take cards.",
        )
        .await;
    let drafts = list(&mut owner, "").await.unwrap();
    let refused = owner
        .upload("/w/demo/knowledge/upload", "prices.xlsx", b"PK")
        .await;
    let by_viewer = viewer
        .upload("/w/demo/knowledge/upload", "notes.txt", b"Hello")
        .await;

    assert_eq!(read.status, StatusCode::SEE_OTHER, "{}", read.body);
    let draft = &drafts[0];
    assert_eq!(drafts.len(), 1);
    assert_eq!(draft.title, "Clinic FAQ");
    assert_eq!(draft.status, DocumentStatus::Draft);
    assert_eq!(draft.file_name.as_deref(), Some("Clinic FAQ.md"));
    assert_eq!(draft.preview, "# FAQ\nWe take cards.");
    assert_eq!(
        read.header("location"),
        format!("/w/demo/knowledge?edit={}", draft.id)
    );
    assert!(read.header("set-cookie").starts_with("g365_flash="));
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let back = refused.header("location");
    assert!(
        back.starts_with("/w/demo/knowledge?upload&upload_error=") && back.ends_with("#upload"),
        "{back}"
    );
    assert!(
        back.contains("Upload%20a%20.txt%2C%20.md%2C%20.pdf%20or%20.docx%20file."),
        "the reason is the reader's own words: {back}"
    );
    assert_eq!(by_viewer.status, StatusCode::FORBIDDEN);
    assert_eq!(
        list(&mut owner, "").await.unwrap().len(),
        1,
        "only the good file"
    );
}
