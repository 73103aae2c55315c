//! Runs the VAPI and Retell simulators on one loopback port, for the end-to-end tests and
//! for trying the provider flows by hand: `simulators --port 9100`; with `--dns-port N`
//! also a DNS server on that UDP port, whose records are set at
//! `POST /_simulator/dns/txt` on the HTTP port.

use simulators::VoiceSim;
use simulators::dns::DnsSim;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut port: u16 = 9100;
    let mut dns_port: Option<u16> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                port = args
                    .next()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_else(|| fail("--port needs a number"));
            }
            "--dns-port" => {
                dns_port = Some(
                    args.next()
                        .and_then(|p| p.parse().ok())
                        .unwrap_or_else(|| fail("--dns-port needs a number")),
                );
            }
            other => fail(&format!(
                "unknown argument {other}; use --port N [--dns-port N]"
            )),
        }
    }
    let extra = match dns_port {
        Some(dns_port) => {
            let (dns, addr) = DnsSim::start_on(dns_port).await;
            println!("DNS simulator on udp://{addr}");
            dns.routes()
        }
        None => axum::Router::new(),
    };
    let (_sim, url) = VoiceSim::start_with(port, extra).await;
    println!(
        "VAPI, Retell and Algolia simulators on {url}\n  VAPI private key {}\n  VAPI public key  {}\n  Retell API key   {}\n  Algolia app id   {} with admin key {}",
        simulators::VAPI_KEY,
        simulators::VAPI_PUBLIC_KEY,
        simulators::RETELL_KEY,
        simulators::ALGOLIA_APP_ID,
        simulators::ALGOLIA_ADMIN_KEY
    );
    tokio::signal::ctrl_c().await.ok();
}

fn fail(message: &str) -> ! {
    eprintln!("simulators: {message}");
    std::process::exit(2)
}
