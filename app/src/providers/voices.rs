//! The ElevenLabs voices VAPI and Sandbox agents choose from (Retell lists its own).

use crate::agents::model::Voice;

/// (id, name, gender, accent, description); Rachel is the default.
const ELEVENLABS: [(&str, &str, &str, &str, &str); 24] = [
    (
        "21m00Tcm4TlvDq8ikWAM",
        "Rachel",
        "female",
        "American",
        "Calm, clear narration",
    ),
    (
        "29vD33N1CtxCmqQRPOHJ",
        "Drew",
        "male",
        "American",
        "Well-rounded news voice",
    ),
    (
        "2EiwWnXFnvU5JabPnv8n",
        "Clyde",
        "male",
        "American",
        "Gravelly and warm",
    ),
    (
        "5Q0t7uMcjvnagumLfvZi",
        "Paul",
        "male",
        "American",
        "Field reporter",
    ),
    (
        "AZnzlk1XvdvUeBnXmlld",
        "Domi",
        "female",
        "American",
        "Strong and confident",
    ),
    (
        "CYw3kZ02Hs0563khs1Fj",
        "Dave",
        "male",
        "British",
        "Conversational, Essex",
    ),
    (
        "D38z5RcWu1voky8WS1ja",
        "Fin",
        "male",
        "Irish",
        "Seasoned storyteller",
    ),
    (
        "EXAVITQu4vr4xnSDxMaL",
        "Bella",
        "female",
        "American",
        "Soft and friendly",
    ),
    (
        "ErXwobaYiN019PkySvjV",
        "Antoni",
        "male",
        "American",
        "Well-rounded and warm",
    ),
    (
        "GBv7mTt0atIp3Br8iCZE",
        "Thomas",
        "male",
        "American",
        "Calm and steady",
    ),
    (
        "IKne3meq5aSn9XLyUdCD",
        "Charlie",
        "male",
        "Australian",
        "Casual and natural",
    ),
    (
        "LcfcDJNUP1GQjkzn1xUU",
        "Emily",
        "female",
        "American",
        "Calm and gentle",
    ),
    (
        "MF3mGyEYCl7XYWbV9V6O",
        "Elli",
        "female",
        "American",
        "Young and expressive",
    ),
    (
        "N2lVS1w4EtoT3dr4eOWO",
        "Callum",
        "male",
        "American",
        "Husky and intense",
    ),
    (
        "ODq5zmih8GrVes37Dizd",
        "Patrick",
        "male",
        "American",
        "Energetic",
    ),
    (
        "SOYHLrjzK2X1ezoPC6cr",
        "Harry",
        "male",
        "American",
        "Eager, slightly anxious",
    ),
    (
        "TxGEqnHWrfWFTfGW9XjX",
        "Josh",
        "male",
        "American",
        "Deep and young",
    ),
    (
        "VR6AewLTigWG4xSOukaG",
        "Arnold",
        "male",
        "American",
        "Crisp and firm",
    ),
    (
        "XB0fDUnXU5powFXDhCwa",
        "Charlotte",
        "female",
        "Swedish",
        "Smooth and poised",
    ),
    (
        "XrExE9yKIg1WjnnlVkGX",
        "Matilda",
        "female",
        "American",
        "Warm and friendly",
    ),
    (
        "ZQe5CZNOzWyzPSCn5a3c",
        "James",
        "male",
        "Australian",
        "Calm and measured",
    ),
    (
        "Zlb1dXrM653N07WRdFW3",
        "Joseph",
        "male",
        "British",
        "Reporter",
    ),
    (
        "pNInz6obpgDQGcFmaJgB",
        "Adam",
        "male",
        "American",
        "Deep and clear",
    ),
    (
        "yoZ06aMxZJJ28mfd3POQ",
        "Sam",
        "male",
        "American",
        "Raspy and relaxed",
    ),
];

pub fn elevenlabs() -> Vec<Voice> {
    ELEVENLABS
        .iter()
        .map(|(id, name, gender, accent, description)| Voice {
            id: (*id).into(),
            name: (*name).into(),
            gender: (*gender).into(),
            accent: (*accent).into(),
            description: (*description).into(),
            preview_url: None,
        })
        .collect()
}

/// The catalogue name of an ElevenLabs voice id, if it is one of ours.
pub fn elevenlabs_name(id: &str) -> Option<&'static str> {
    ELEVENLABS.iter().find(|v| v.0 == id).map(|v| v.1)
}
