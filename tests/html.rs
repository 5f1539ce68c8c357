//! report.html: an HTML5 parser reads the page back (no parse error, nothing loaded from
//! anywhere, the script allowed by its hash), hostile display names stay text, the findings
//! list is capped per code, and headless Chromium runs the page with scripts on: the filter
//! script ran, the key figures are there, and the console stayed silent.

mod common;

use std::path::{Path, PathBuf};
use std::rc::Rc;

use common::{audit, fixture, json, out, read_maps};
use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use sha2::{Digest, Sha256};

/// The page of a run's output folder.
fn page(out: &Path) -> String {
    std::fs::read_to_string(out.join("report.html")).expect("report.html is written")
}

/// The page parsed as a browser parses it, with every parse error the specification names.
fn parse(html: &str) -> RcDom {
    let opts = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            exact_errors: true,
            ..Default::default()
        },
        ..Default::default()
    };
    html5ever::parse_document(RcDom::default(), opts).one(html)
}

/// An element: tag name, attributes (name, value), the node.
type El = (String, Vec<(String, String)>, Handle);

/// Every element under `h`, `h` included.
fn elements(h: &Handle, out: &mut Vec<El>) {
    if let NodeData::Element { name, attrs, .. } = &h.data {
        let a = attrs
            .borrow()
            .iter()
            .map(|a| (a.name.local.to_string(), a.value.to_string()))
            .collect();
        out.push((name.local.to_string(), a, Rc::clone(h)));
    }
    for c in h.children.borrow().iter() {
        elements(c, out);
    }
}

fn all_elements(dom: &RcDom) -> Vec<El> {
    let mut v = Vec::new();
    elements(&dom.document, &mut v);
    v
}

/// The text inside a node.
fn text(h: &Handle) -> String {
    let mut s = String::new();
    if let NodeData::Text { contents } = &h.data {
        s.push_str(&contents.borrow());
    }
    for c in h.children.borrow().iter() {
        s.push_str(&text(c));
    }
    s
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    bytes
        .chunks(3)
        .flat_map(|c| {
            let n = (c[0] as u32) << 16
                | (*c.get(1).unwrap_or(&0) as u32) << 8
                | *c.get(2).unwrap_or(&0) as u32;
            (0..4).map(move |i| {
                if i <= c.len() {
                    ABC[(n >> (18 - 6 * i) & 63) as usize] as char
                } else {
                    '='
                }
            })
        })
        .collect()
}

/// The checks every page passes: valid HTML5, one inline script and one inline style, each
/// allowed by its hash and nothing else, no reference to any other file or address but plain
/// links to Microsoft's documentation.
fn check_structure(html: &str) -> RcDom {
    let dom = parse(html);
    let errors = dom.errors.borrow().clone();
    assert!(errors.is_empty(), "HTML5 parse errors: {errors:?}");
    assert_eq!(
        dom.quirks_mode.get(),
        html5ever::tree_builder::QuirksMode::NoQuirks
    );
    let els = all_elements(&dom);
    let scripts: Vec<_> = els.iter().filter(|e| e.0 == "script").collect();
    assert_eq!(scripts.len(), 1, "one script element");
    assert!(attr(&scripts[0].1, "src").is_none());
    let styles: Vec<_> = els.iter().filter(|e| e.0 == "style").collect();
    assert_eq!(styles.len(), 1, "one style element");
    let csp = els
        .iter()
        .find(|e| e.0 == "meta" && attr(&e.1, "http-equiv") == Some("Content-Security-Policy"))
        .and_then(|e| attr(&e.1, "content"))
        .expect("a CSP meta tag")
        .to_string();
    let hash = |s: &str| format!("'sha256-{}'", base64(&Sha256::digest(s.as_bytes())));
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(
        csp.contains(&format!("script-src {};", hash(&text(&scripts[0].2)))),
        "{csp}"
    );
    assert!(
        csp.contains(&format!("style-src {};", hash(&text(&styles[0].2)))),
        "{csp}"
    );
    assert!(!csp.contains("unsafe"), "{csp}");
    for (tag, attrs, _) in &els {
        assert!(
            ![
                "img", "link", "iframe", "object", "embed", "base", "form", "image", "use"
            ]
            .contains(&tag.as_str()),
            "<{tag}> in the page"
        );
        for (name, value) in attrs {
            assert!(!name.starts_with("on"), "<{tag} {name}> in the page");
            assert!(
                !["src", "srcset", "xlink:href", "action", "poster"].contains(&name.as_str()),
                "<{tag} {name}={value}>"
            );
            if name == "href" {
                assert!(
                    tag == "a"
                        && (value.starts_with('#')
                            || value.starts_with("https://learn.microsoft.com/")),
                    "<{tag} href={value}>"
                );
            } else {
                assert!(!value.contains("://"), "<{tag} {name}={value}>");
            }
        }
    }
    assert!(!text(&styles[0].2).contains("url("), "no url() in the CSS");
    dom
}

/// The rows of the findings list: (upn, display name, code) and the row's data-code.
fn finding_rows(dom: &RcDom) -> Vec<(Vec<String>, String)> {
    let els = all_elements(dom);
    let table = els
        .iter()
        .find(|e| e.0 == "table" && attr(&e.1, "id") == Some("findings-table"))
        .expect("the findings list");
    let mut rows = Vec::new();
    elements(&table.2, &mut rows);
    rows.iter()
        .filter(|r| r.0 == "tr" && attr(&r.1, "data-code").is_some())
        .map(|(_, a, h)| {
            let mut cells = Vec::new();
            elements(h, &mut cells);
            let cells = cells
                .iter()
                .filter(|c| c.0 == "td")
                .map(|c| text(&c.2))
                .collect();
            (cells, attr(a, "data-code").unwrap_or("").to_string())
        })
        .collect()
}

#[test]
fn the_contoso_page_is_valid_self_contained_html5() {
    let out = common::contoso_out();
    let html = page(&out);
    let dom = check_structure(&html);
    // Every finding of contoso is in the list (no code has more than the cap), with its code.
    let want: Vec<(String, String)> = read_maps(&out.join("findings.csv"))
        .into_iter()
        .map(|r| (r["userPrincipalName"].clone(), r["finding"].clone()))
        .collect();
    let mut got: Vec<(String, String)> = finding_rows(&dom)
        .into_iter()
        .map(|(cells, code)| {
            assert_eq!(cells[2], code);
            (cells[0].clone(), code)
        })
        .collect();
    let mut sorted_want = want.clone();
    sorted_want.sort();
    got.sort();
    assert_eq!(got, sorted_want);
    // Without scripts every row is in the markup and the filter controls (which need the
    // script) stay hidden.
    assert!(html.contains("<div class=\"filters\" id=\"filters\" hidden>"));
    // The tenant and the key figures, as summary.json has them.
    let s = json(&out.join("summary.json"));
    assert!(html.contains("<h1>MFA readiness of contoso.com</h1>"));
    let pct = format!("{:.1}%", s["registration"]["percent"].as_f64().unwrap());
    assert!(
        html.contains(&format!("<div class=\"value\">{pct}</div>")),
        "{pct}"
    );
    let days = s["passkeyReadiness"]["daysLeft"].as_i64().unwrap();
    assert!(html.contains(&format!(">{days} days</div>")), "{days}");
    // The manifest lists the page with its hash.
    let m = json(&out.join("manifest.json"));
    let entry = m["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["path"] == "report.html")
        .expect("report.html in the manifest");
    assert_eq!(
        entry["sha256"].as_str().unwrap(),
        mfa_audit::sha256_hex(html.as_bytes())
    );
}

/// With Secure Score exports the page sets Microsoft's score beside ours and lists the accounts
/// behind the difference, as securescore.csv does; without them (contoso) neither is there.
#[test]
fn the_secure_score_reconciliation_is_on_the_page_when_given() {
    let dir = audit(&[&fixture("securescore")]);
    let o = out(&dir);
    let html = page(&o);
    check_structure(&html);
    assert!(
        html.contains("<h3>Microsoft's score beside ours</h3>"),
        "no reconciliation"
    );
    let s = json(&o.join("summary.json"));
    for e in s["secureScore"].as_array().expect("estimates") {
        let m = &e["microsoft"];
        let shown = format!(
            "<td>{:.2} of {}</td>",
            m["score"].as_f64().expect("a score"),
            m["maxScore"].as_f64().expect("a max")
        );
        assert!(html.contains(&shown), "{shown} not on the page");
    }
    let rows = read_maps(&o.join("securescore.csv"));
    assert!(!rows.is_empty());
    assert!(html.contains(&format!(
        "{} accounts where Microsoft's view and ours differ",
        rows.len()
    )));
    for r in rows.iter().filter(|r| !r["userPrincipalName"].is_empty()) {
        let upn = r["userPrincipalName"].trim_start_matches('\'');
        assert!(html.contains(upn), "{upn} not on the page");
    }
    let plain = page(&common::contoso_out());
    assert!(!plain.contains("Microsoft's score beside ours"));
    assert!(plain.contains("<h3>Estimates from the exported data</h3>"));
}

#[test]
fn a_rerun_writes_the_same_page() {
    let again = audit(&[&fixture("contoso")]);
    assert!(
        page(&common::contoso_out()) == page(&out(&again)),
        "report.html differs between two runs"
    );
}

const HOSTILE: [&str; 4] = [
    "<img src=x onerror=alert(1)>",
    "O'Brien & \"Sons\" <b>bold</b>",
    "</script><script>alert(2)</script>",
    "</td></tr></table><h1>spoof</h1>",
];

/// A tenant of `n` unregistered accounts, four of them with hostile display names and
/// departments: every account is flagged not-registered.
fn generated_tenant(dir: &Path, n: usize) -> Vec<String> {
    let mut users =
        String::from("userPrincipalName,displayName,accountEnabled,department,usageLocation\n");
    let mut reg = String::from("userPrincipalName,methodsRegistered\n");
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for i in 0..n {
        // One account of another domain: the header lists both.
        let domain = if i == 5 {
            "northwind.example"
        } else {
            "fabrikam.com"
        };
        let upn = format!("user{i:04}@{domain}");
        let name = HOSTILE
            .get(i)
            .map_or(format!("User {i}"), |h| h.to_string());
        let dept = HOSTILE
            .get(i)
            .map_or("Sales".to_string(), |h| format!("D {h}"));
        users.push_str(&format!(
            "{upn},{},True,{},US\n",
            quote(&name),
            quote(&dept)
        ));
        reg.push_str(&format!("{upn},[]\n"));
    }
    let u = dir.join("exportUsers_2026-11-21.csv");
    let r = dir.join("exportUserRegistrationDetails_2026-11-21.csv");
    std::fs::write(&u, users).expect("users");
    std::fs::write(&r, reg).expect("registration");
    vec![u.display().to_string(), r.display().to_string()]
}

fn generated_run(n: usize) -> (tempfile::TempDir, tempfile::TempDir) {
    let tmp = tempfile::tempdir().expect("tmp");
    let files = generated_tenant(tmp.path(), n);
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend_from_slice(&["--as-of", "2026-11-21"]);
    let d = audit(&args);
    (tmp, d)
}

#[test]
fn hostile_display_names_stay_text() {
    let (_tmp, d) = generated_run(6);
    let html = page(&out(&d));
    let dom = check_structure(&html);
    let names: Vec<String> = finding_rows(&dom)
        .into_iter()
        .map(|(cells, _)| cells[1].clone())
        .collect();
    for h in HOSTILE {
        assert!(
            names.iter().any(|n| n == h),
            "{h} not shown as text: {names:?}"
        );
    }
    // The markup only ever appears escaped.
    for raw in ["<img", "<b>", "<h1>spoof", "alert(2)</script>"] {
        assert!(!html.contains(raw), "{raw} unescaped in the page");
    }
    assert!(html.contains("<h1>MFA readiness of fabrikam.com</h1>"));
    assert!(html.contains("Member account domains: fabrikam.com (5), northwind.example (1)."));
    // No policies, no baseline: no coverage and no campaign section (contoso has coverage).
    assert!(!html.contains("id=\"coverage\"") && !html.contains("id=\"campaign\""));
    assert!(page(&common::contoso_out()).contains("<section class=\"sheet\" id=\"coverage\">"));
    let els = all_elements(&dom);
    let headings = els.iter().filter(|e| e.0 == "h1").count();
    assert_eq!(headings, 1, "only the page's own h1");
    // The departments (chart labels and table cells) are text too.
    let dept_texts: Vec<String> = els
        .iter()
        .filter(|e| e.0 == "text" || e.0 == "td")
        .map(|e| text(&e.2))
        .collect();
    assert!(
        dept_texts
            .iter()
            .any(|t| t == "D <img src=x onerror=alert(1)>"),
        "{dept_texts:?}"
    );
}

#[test]
fn the_findings_list_is_capped_per_code_and_counts_the_rest() {
    let (_tmp, d) = generated_run(230);
    let html = page(&out(&d));
    let dom = check_structure(&html);
    let rows = finding_rows(&dom);
    let not_registered = rows.iter().filter(|(_, c)| c == "not-registered").count();
    assert_eq!(not_registered, 200, "capped at 200 rows per code");
    // The first 200 by UPN, as findings.csv orders them.
    let upns: Vec<&str> = rows
        .iter()
        .filter(|(_, c)| c == "not-registered")
        .map(|(cells, _)| cells[0].as_str())
        .collect();
    assert_eq!(upns.first(), Some(&"user0000@fabrikam.com"));
    assert_eq!(upns.last(), Some(&"user0199@fabrikam.com"));
    let all = read_maps(&out(&d).join("findings.csv"))
        .iter()
        .filter(|r| r["finding"] == "not-registered")
        .count();
    assert_eq!(all, 230);
    assert!(
        html.contains("<code>not-registered</code> 30 more"),
        "the rest is counted"
    );
}

// ---------------------------------------------------------------- in a real browser

/// The Chromium binary, if there is one on PATH.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Chromium, or `None` with a loud skip message; under CI (env `CI` set) a missing browser
/// fails the test instead.
fn browser_or_skip(test: &str) -> Option<PathBuf> {
    let b = chromium();
    if b.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: Chromium is not installed, and CI is set (.ci/run installs it: apt-get install -y chromium)"
        );
        // Straight to the process's stderr: the test harness captures eprintln! of a passing test.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\n!!!!!!!! SKIPPED {test}: no Chromium on PATH (apt-get install -y chromium) !!!!!!!!\n"
        );
    }
    b
}

/// Loads `url` headless with scripts on; returns the DOM after the scripts ran and the
/// browser's log.
fn load(browser: &Path, url: &str) -> (String, String) {
    let profile = tempfile::tempdir().expect("profile dir");
    let o = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            &format!("--user-data-dir={}", profile.path().display()),
            "--dump-dom",
            url,
        ])
        .output()
        .expect("chromium runs");
    assert!(
        o.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

/// Console messages (errors, CSP refusals) in Chromium's log.
fn console_lines(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Refused to") || l.contains("Uncaught"))
        .collect()
}

fn url(out: &Path, fragment: &str) -> String {
    let p = std::fs::canonicalize(out.join("report.html")).expect("page path");
    format!("file://{}{fragment}", p.display())
}

#[test]
fn chromium_runs_the_filter_script_with_no_console_error() {
    let Some(b) = browser_or_skip("chromium_runs_the_filter_script_with_no_console_error") else {
        return;
    };
    let out = common::contoso_out();
    let stale = read_maps(&out.join("findings.csv"))
        .iter()
        .filter(|r| r["finding"] == "stale-kmsi")
        .count();
    assert!(stale > 0);
    let (dom, log) = load(&b, &url(&out, "#code=stale-kmsi"));
    assert!(console_lines(&log).is_empty(), "{:?}", console_lines(&log));
    // The script ran (under the CSP): its marker, the filter applied, the controls shown.
    assert!(
        dom.contains("data-script=\"ready\""),
        "the script did not run"
    );
    assert!(
        dom.contains(&format!("data-shown=\"{stale}\"")),
        "the filter did not apply"
    );
    assert!(dom.contains(&format!("{stale} of ")), "count line");
    assert!(
        !dom.contains("id=\"filters\" hidden"),
        "filters still hidden"
    );
    let hidden = dom.matches(" hidden=\"\"><td class=\"upn\">").count();
    assert!(hidden > 0, "no row was hidden");
    // The key figures are in the rendered page.
    let s = json(&out.join("summary.json"));
    let pct = format!("{:.1}%", s["registration"]["percent"].as_f64().unwrap());
    assert!(dom.contains(&pct), "{pct}");
    assert!(dom.contains("<h1>MFA readiness of contoso.com</h1>"));

    // A text filter from the address applies too.
    let (dom, log) = load(&b, &url(&out, "#q=admin.noreg1"));
    assert!(console_lines(&log).is_empty(), "{:?}", console_lines(&log));
    let expected = read_maps(&out.join("findings.csv"))
        .iter()
        .filter(|r| r["userPrincipalName"].contains("admin.noreg1"))
        .count();
    assert!(
        dom.contains(&format!("data-shown=\"{expected}\"")),
        "text filter"
    );
}

#[test]
fn chromium_shows_hostile_names_as_text() {
    let Some(b) = browser_or_skip("chromium_shows_hostile_names_as_text") else {
        return;
    };
    let (_tmp, d) = generated_run(6);
    let (dom, log) = load(&b, &url(&out(&d), ""));
    assert!(console_lines(&log).is_empty(), "{:?}", console_lines(&log));
    assert!(dom.contains("data-script=\"ready\""));
    assert!(!dom.contains("<img"), "an img element was made");
    assert!(dom.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert_eq!(dom.matches("<script").count(), 1, "one script element");
}
