//! Every message a person reads is written in one voice (`follows_message_style`): this test
//! reads the source of the app and server crates and checks each message literal given to an
//! `AppError` or `FieldError`, so a new message in another style fails here, not in review.

use std::path::{Path, PathBuf};

use app::domain::error::follows_message_style;
use syn::{punctuated::Punctuated, visit::Visit};

/// Constructors whose last argument is a message (`not_found` takes a noun phrase that starts
/// the sentence "… was not found.").
const MESSAGE_CALLS: &[(&str, &str)] =
    &[("AppError", "validation"), ("AppError", "conflict"), ("AppError", "bad_request"), ("FieldError", "new")];
const MESSAGE_STRUCTS: &[&str] = &["Validation", "BadRequest", "Conflict", "FieldError"];
/// Local helpers that take (field, message) and build a `FieldError` (the product form's `fail`).
const MESSAGE_HELPERS: &[&str] = &["fail"];

#[derive(Default)]
struct Messages {
    file: String,
    checked: usize,
    offenders: Vec<String>,
}

impl Messages {
    fn check(&mut self, text: &str, what: &str) {
        self.checked += 1;
        // "Billing address: {err}" ends with another error's message, which has its own stop.
        let text = text.strip_suffix("{err}").map_or_else(|| text.to_owned(), |start| format!("{start}."));
        if !follows_message_style(&text) {
            self.offenders.push(format!("{}: {what} {text:?}", self.file));
        }
    }

    fn check_noun(&mut self, text: &str) {
        self.checked += 1;
        let starts_with_capital = text.chars().next().is_some_and(char::is_uppercase);
        if !starts_with_capital || text.ends_with('.') {
            self.offenders
                .push(format!("{}: not_found({text:?}) must start the sentence, like \"That order\"", self.file));
        }
    }
}

/// The literal text of a message expression: a string literal, `format!("…", …)`, or either with
/// `.into()`/`.to_string()`/`.to_owned()`. A message held in a variable first (a table of
/// messages, a `let`) is not seen here; keep messages at the call where the tests can read them.
fn message_text(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) => Some(text.value()),
        syn::Expr::Macro(call) if call.mac.path.is_ident("format") => {
            let args = call.mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated).ok()?;
            args.first().and_then(message_text)
        }
        syn::Expr::MethodCall(call)
            if ["into", "to_string", "to_owned"].contains(&call.method.to_string().as_str()) =>
        {
            message_text(&call.receiver)
        }
        syn::Expr::Paren(inner) => message_text(&inner.expr),
        _ => None,
    }
}

fn path_ends_with(path: &syn::Path, owner: &str, name: &str) -> bool {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.len() >= 2 && segments[segments.len() - 2] == owner && segments[segments.len() - 1] == name
}

impl<'ast> Visit<'ast> for Messages {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(func) = &*call.func {
            let is_message_call = MESSAGE_CALLS.iter().any(|(owner, name)| path_ends_with(&func.path, owner, name))
                || MESSAGE_HELPERS.iter().any(|name| func.path.is_ident(name));
            if is_message_call && let Some(text) = call.args.last().and_then(message_text) {
                self.check(&text, "message");
            }
            if path_ends_with(&func.path, "AppError", "not_found")
                && let Some(text) = call.args.first().and_then(message_text)
            {
                self.check_noun(&text);
            }
        }
        syn::visit::visit_expr_call(self, call);
    }

    fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
        let name = expr.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        if name == "NotFound" {
            for field in &expr.fields {
                let is_subject = matches!(&field.member, syn::Member::Named(ident) if ident == "what");
                if let (true, Some(text)) = (is_subject, message_text(&field.expr)) {
                    self.check_noun(&text);
                }
            }
        }
        if MESSAGE_STRUCTS.contains(&name.as_str()) {
            for field in &expr.fields {
                let is_message = matches!(&field.member, syn::Member::Named(ident) if ident == "message");
                if let (true, Some(text)) = (is_message, message_text(&field.expr)) {
                    self.check(&text, "message");
                }
            }
        }
        syn::visit::visit_expr_struct(self, expr);
    }
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

fn messages_in(dirs: &[&str]) -> Messages {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for dir in dirs {
        rust_files(&root.join(dir), &mut files);
    }
    let mut messages = Messages::default();
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        let tree = syn::parse_file(&source).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        messages.file = path.strip_prefix(root).unwrap().display().to_string();
        messages.visit_file(&tree);
    }
    messages
}

#[test]
fn every_error_message_in_the_source_is_written_in_the_house_style() {
    let messages = messages_in(&["app/src", "server/src"]);
    // The scan must be finding the messages it claims to check, or this test could not fail.
    assert!(messages.checked >= 60, "only {} messages found: is the scan still reading the source?", messages.checked);
    assert!(messages.offenders.is_empty(), "messages out of style:\n{}", messages.offenders.join("\n"));
}

#[test]
fn the_scan_reports_a_message_in_another_style() {
    let tree = syn::parse_file(r#"fn f() { let _ = AppError::validation("name", format!("enter {x}")); }"#).unwrap();
    let mut messages = Messages::default();
    messages.visit_file(&tree);
    assert_eq!(messages.checked, 1);
    assert_eq!(messages.offenders.len(), 1);
}
