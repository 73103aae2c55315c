//! The typed configuration, read once at startup from the environment (and an optional
//! `.env`, loaded by the binary). Every value has a local default except what production
//! must set; a wrong value stops startup with an error that names the variable.

use std::fmt;
use std::path::{Path, PathBuf};

mod secret_key;

pub use secret_key::SecretKey;
use secret_key::load_or_create_key;

/// Where the process runs. Production refuses defaults that are only safe locally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// How often an open live-calls stream checks that it may go on.
const LIVE_RECHECK: std::time::Duration = std::time::Duration::from_secs(30);

/// A configuration value that could not be used; names the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration: {var} {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub reason: String,
}

fn bad(var: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        reason: reason.into(),
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    /// Directory for the SQLite file, the generated dev key and other local state.
    pub data_dir: PathBuf,
    pub database_url: String,
    /// The public base URL of this deployment, without a trailing slash.
    pub app_url: String,
    /// The platform's own domain; `{slug}.{platform_domain}` reaches a partner.
    pub platform_domain: String,
    /// `None` until [`Config::ensure_secret_key`] has run when SECRET_KEY was unset.
    pub secret_key: Option<SecretKey>,
    /// Keys being rotated away from (`SECRET_KEY_PREVIOUS`): they still open what they
    /// sealed until `server rotate-key` has re-sealed it.
    pub previous_secret_keys: Vec<SecretKey>,
    pub log_format: LogFormat,
    /// Local work only: serve this partner whatever the Host header says.
    pub dev_partner_slug: Option<String>,
    /// Whose `X-Forwarded-For` entries are believed (`TRUST_PROXY`, `TRUSTED_PROXIES`).
    pub proxy: crate::client_ip::ProxyTrust,
    pub email: EmailConfig,
    /// Where the voice-provider clients send (tests point them at loopback simulators).
    pub providers: ProviderUrls,
    /// The program run as `PROGRAM extract-text` to read uploaded files; `None` is the
    /// running binary (tests name the built `server`).
    pub extract_program: Option<PathBuf>,
    /// How often an open live-calls stream checks that its session and access still
    /// stand (30 s; tests shorten it).
    pub live_recheck: std::time::Duration,
    pub campaigns: CampaignConfig,
    /// What `server serve` creates on its first start when the database has no platform
    /// yet (`PLATFORM_NAME`, `ADMIN_EMAIL`); `server init` takes the same as flags.
    pub bootstrap: Option<Bootstrap>,
    /// The DNS server custom domains are checked against (`DNS_RESOLVER`, `ip:port`);
    /// `None` is the system's (`/etc/resolv.conf`). Tests point it at a loopback server.
    pub dns_resolver: Option<std::net::SocketAddr>,
}

/// The platform a fresh install starts with: its name and its first super admin (its
/// domain is `PLATFORM_DOMAIN`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bootstrap {
    pub platform_name: String,
    pub admin_email: String,
}

/// How campaigns dial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignConfig {
    /// Campaign calls this installation has under way at once at most, shared fairly
    /// among the workspaces with running campaigns (`CAMPAIGN_CALLS_AT_ONCE`, 200).
    pub calls_at_once: u32,
    /// How long a Sandbox campaign call takes to end (`SANDBOX_CALL_MS`, 4000; 0 ends it
    /// at once, for benchmarks).
    pub sandbox_call: std::time::Duration,
}

impl Default for CampaignConfig {
    fn default() -> Self {
        Self {
            calls_at_once: 200,
            sandbox_call: std::time::Duration::from_millis(4000),
        }
    }
}

/// Base URLs of the voice providers' APIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderUrls {
    pub vapi: String,
    pub retell: String,
    /// The LiveKit server Retell's browser calls join (a `wss://` URL).
    pub retell_web_call: String,
    /// Algolia's API host; `{app_id}` is replaced by the integration's application id.
    pub algolia: String,
}

impl ProviderUrls {
    /// Retell's web-call server, in its own words.
    pub const DEFAULT_RETELL_WEB_CALL: &str = "wss://retell-ai-4ihahnq7.livekit.cloud";

    /// Where browser test calls may connect, for the page's Content-Security-Policy: the
    /// VAPI API (its web SDK creates the call), Daily (which carries VAPI's audio) and
    /// Retell's LiveKit server, over both HTTPS and WebSocket.
    pub fn web_call_sources(&self) -> Vec<String> {
        let mut sources = vec![
            origin(&self.vapi),
            "https://*.daily.co".into(),
            "wss://*.daily.co".into(),
        ];
        // LiveKit signals over WebSocket and asks over HTTP(S) why a connection failed.
        let livekit = origin(&self.retell_web_call);
        let http = livekit
            .replacen("wss://", "https://", 1)
            .replacen("ws://", "http://", 1);
        for source in [livekit, http] {
            if !sources.contains(&source) {
                sources.push(source);
            }
        }
        sources
    }
}

/// `scheme://host[:port]` of a URL (the URL itself when it has no path).
fn origin(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            format!("{scheme}://{host}")
        }
        None => url.to_owned(),
    }
}

impl Default for ProviderUrls {
    fn default() -> Self {
        Self {
            vapi: "https://api.vapi.ai".into(),
            retell: "https://api.retellai.com".into(),
            retell_web_call: Self::DEFAULT_RETELL_WEB_CALL.into(),
            algolia: "https://{app_id}.algolia.net".into(),
        }
    }
}

/// Where email goes: Resend when a key is set, else only the outbox table.
#[derive(Debug, Clone)]
pub struct EmailConfig {
    /// `Name <address>`; partner emails keep the address and use the partner's name.
    pub from: String,
    pub resend: Option<ResendConfig>,
}

#[derive(Clone)]
pub struct ResendConfig {
    pub api_key: String,
    pub base_url: String,
}

impl fmt::Debug for ResendConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResendConfig")
            .field("api_key", &"..")
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl EmailConfig {
    pub const DEFAULT_FROM: &'static str = "Genius365 <no-reply@genius365.app>";
    pub const DEFAULT_RESEND_URL: &'static str = "https://api.resend.com";

    /// The sender address without its display name.
    pub fn from_address(&self) -> &str {
        match (self.from.find('<'), self.from.rfind('>')) {
            (Some(open), Some(close)) if open < close => self.from[open + 1..close].trim(),
            _ => self.from.trim(),
        }
    }
}

impl Config {
    /// Reads every variable through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let environment = match get("APP_ENV").as_deref() {
            None | Some("development") | Some("dev") => Environment::Development,
            Some("production") | Some("prod") => Environment::Production,
            Some(other) => {
                return Err(bad(
                    "APP_ENV",
                    format!("must be development or production, got {other:?}"),
                ));
            }
        };
        let data_dir = PathBuf::from(get("DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = match get("DATABASE_URL") {
            Some(url) => parse_database_url(&url)?,
            None => default_sqlite_url(&data_dir),
        };
        let app_url =
            parse_app_url(&get("APP_URL").unwrap_or_else(|| "http://localhost:3000".into()))?;
        let platform_domain =
            parse_domain(&get("PLATFORM_DOMAIN").unwrap_or_else(|| "localhost".into()))?;
        let secret_key = match get("SECRET_KEY") {
            Some(key) => {
                Some(SecretKey::from_base64(&key).map_err(|reason| bad("SECRET_KEY", reason))?)
            }
            None if environment == Environment::Production => {
                return Err(bad(
                    "SECRET_KEY",
                    "is required in production (32 bytes, base64)",
                ));
            }
            None => None,
        };
        let previous_secret_keys = match get("SECRET_KEY_PREVIOUS") {
            None => vec![],
            Some(list) => list
                .split([',', ' '])
                .filter(|k| !k.trim().is_empty())
                .map(|k| {
                    SecretKey::from_base64(k.trim())
                        .map_err(|reason| bad("SECRET_KEY_PREVIOUS", reason))
                })
                .collect::<Result<_, _>>()?,
        };
        let log_format = match get("LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(bad(
                    "LOG_FORMAT",
                    format!("must be pretty or json, got {other:?}"),
                ));
            }
        };
        let dev_partner_slug = get("DEV_PARTNER_SLUG");
        if dev_partner_slug.is_some() && environment == Environment::Production {
            return Err(bad("DEV_PARTNER_SLUG", "must not be set in production"));
        }

        let trust_proxy = match get("TRUST_PROXY").as_deref() {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("1") => true,
            Some(other) => {
                return Err(bad(
                    "TRUST_PROXY",
                    format!("must be true or false, got {other:?}"),
                ));
            }
        };
        let proxy = match get("TRUSTED_PROXIES") {
            Some(list) => {
                let ranges =
                    crate::client_ip::parse_ranges(&list).map_err(|e| bad("TRUSTED_PROXIES", e))?;
                if ranges.is_empty() {
                    return Err(bad("TRUSTED_PROXIES", "lists no address range"));
                }
                crate::client_ip::ProxyTrust::Ranges(ranges)
            }
            None if trust_proxy => crate::client_ip::ProxyTrust::OneHop,
            None => crate::client_ip::ProxyTrust::None,
        };
        let from = get("EMAIL_FROM").unwrap_or_else(|| EmailConfig::DEFAULT_FROM.into());
        if !from.contains('@') {
            return Err(bad(
                "EMAIL_FROM",
                "must be an address, like `Genius365 <no-reply@example.com>`",
            ));
        }
        let resend = get("RESEND_API_KEY").map(|api_key| ResendConfig {
            api_key,
            base_url: get("RESEND_BASE_URL")
                .unwrap_or_else(|| EmailConfig::DEFAULT_RESEND_URL.into())
                .trim_end_matches('/')
                .to_owned(),
        });

        let defaults = ProviderUrls::default();
        let provider_url = |var: &'static str, default: String| -> Result<String, ConfigError> {
            match get(var) {
                None => Ok(default),
                Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                    Ok(url.trim_end_matches('/').to_owned())
                }
                Some(_) => Err(bad(var, "must start with http:// or https://")),
            }
        };
        let providers = ProviderUrls {
            vapi: provider_url("VAPI_BASE_URL", defaults.vapi)?,
            retell: provider_url("RETELL_BASE_URL", defaults.retell)?,
            retell_web_call: match get("RETELL_WEB_CALL_URL") {
                None => defaults.retell_web_call,
                Some(url) if url.starts_with("wss://") || url.starts_with("ws://") => {
                    url.trim_end_matches('/').to_owned()
                }
                Some(_) => {
                    return Err(bad(
                        "RETELL_WEB_CALL_URL",
                        "must start with wss:// or ws://",
                    ));
                }
            },
            algolia: provider_url("ALGOLIA_BASE_URL", defaults.algolia)?,
        };

        let number = |var: &'static str, default: u64, max: u64| -> Result<u64, ConfigError> {
            match get(var) {
                None => Ok(default),
                Some(text) => match text.trim().parse::<u64>() {
                    Ok(n) if n <= max => Ok(n),
                    _ => Err(bad(var, format!("must be a whole number from 0 to {max}"))),
                },
            }
        };
        let defaults = CampaignConfig::default();
        let campaigns = CampaignConfig {
            calls_at_once: u32::try_from(number(
                "CAMPAIGN_CALLS_AT_ONCE",
                u64::from(defaults.calls_at_once),
                100_000,
            )?)
            .unwrap_or(defaults.calls_at_once)
            .max(1),
            sandbox_call: std::time::Duration::from_millis(number(
                "SANDBOX_CALL_MS",
                defaults.sandbox_call.as_millis() as u64,
                600_000,
            )?),
        };

        let bootstrap = match (get("PLATFORM_NAME"), get("ADMIN_EMAIL")) {
            (Some(platform_name), Some(admin_email)) => Some(Bootstrap {
                platform_name,
                admin_email,
            }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(bad(
                    "ADMIN_EMAIL",
                    "is needed with PLATFORM_NAME: the first super admin of a new install",
                ));
            }
            (None, Some(_)) => {
                return Err(bad(
                    "PLATFORM_NAME",
                    "is needed with ADMIN_EMAIL: the name a new install presents",
                ));
            }
        };

        let dns_resolver = match get("DNS_RESOLVER") {
            None => None,
            Some(text) => Some(text.parse().map_err(|_| {
                bad(
                    "DNS_RESOLVER",
                    "must be an address and port, like 127.0.0.1:53",
                )
            })?),
        };

        Ok(Self {
            environment,
            data_dir,
            database_url,
            app_url,
            platform_domain,
            secret_key,
            previous_secret_keys,
            log_format,
            dev_partner_slug,
            proxy,
            email: EmailConfig { from, resend },
            providers,
            extract_program: None,
            live_recheck: LIVE_RECHECK,
            campaigns,
            bootstrap,
            dns_resolver,
        })
    }

    /// The configuration tests and local tools use: development defaults and a fresh key.
    pub fn for_tests(database_url: &str) -> Self {
        Self {
            environment: Environment::Development,
            data_dir: std::env::temp_dir(),
            database_url: database_url.to_owned(),
            app_url: "http://localhost:3000".into(),
            platform_domain: "localhost".into(),
            secret_key: Some(SecretKey::generate()),
            previous_secret_keys: vec![],
            log_format: LogFormat::Pretty,
            dev_partner_slug: None,
            proxy: crate::client_ip::ProxyTrust::None,
            email: EmailConfig {
                from: EmailConfig::DEFAULT_FROM.into(),
                resend: None,
            },
            providers: ProviderUrls::default(),
            extract_program: None,
            live_recheck: LIVE_RECHECK,
            campaigns: CampaignConfig::default(),
            bootstrap: None,
            dns_resolver: None,
        }
    }

    /// Loads the local key from `data_dir/secret.key`, creating it on first use, when
    /// SECRET_KEY was not set. Production never gets here: it must set SECRET_KEY.
    pub fn ensure_secret_key(&mut self) -> Result<&SecretKey, ConfigError> {
        if self.secret_key.is_none() {
            self.secret_key = Some(load_or_create_key(&self.data_dir.join("secret.key"))?);
        }
        self.secret_key
            .as_ref()
            .ok_or_else(|| bad("SECRET_KEY", "could not be loaded"))
    }

    /// Whether cookies must carry `Secure`.
    pub fn https(&self) -> bool {
        self.app_url.starts_with("https://")
    }

    /// Creates the directory a SQLite database file lives in, if the URL names one.
    pub fn ensure_sqlite_dir(&self) -> Result<(), ConfigError> {
        if let Some(path) = sqlite_file_path(&self.database_url)
            && let Some(dir) = Path::new(&path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                bad(
                    "DATABASE_URL",
                    format!("directory {} cannot be created: {e}", dir.display()),
                )
            })?;
        }
        Ok(())
    }
}

fn default_sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}/genius365.db?mode=rwc", data_dir.display())
}

fn parse_database_url(url: &str) -> Result<String, ConfigError> {
    if url.starts_with("sqlite:")
        || url.starts_with("postgres://")
        || url.starts_with("postgresql://")
    {
        Ok(url.to_owned())
    } else {
        Err(bad(
            "DATABASE_URL",
            "must start with sqlite: or postgres://",
        ))
    }
}

/// The file path inside a SQLite URL, or `None` for in-memory and non-SQLite URLs.
pub fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

fn parse_app_url(url: &str) -> Result<String, ConfigError> {
    let Some(rest) = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
    else {
        return Err(bad("APP_URL", "must start with http:// or https://"));
    };
    if rest.trim_end_matches('/').is_empty() || rest.contains(char::is_whitespace) {
        return Err(bad(
            "APP_URL",
            "must name a host, for example https://app.example.com",
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

fn parse_domain(domain: &str) -> Result<String, ConfigError> {
    let domain = domain.to_ascii_lowercase();
    let valid = domain.split(':').next().is_some_and(|host| {
        !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    });
    if valid && !domain.contains('/') {
        Ok(domain)
    } else {
        Err(bad(
            "PLATFORM_DOMAIN",
            "must be a bare host name such as genius365.app (no scheme or path)",
        ))
    }
}

#[cfg(test)]
mod tests;
