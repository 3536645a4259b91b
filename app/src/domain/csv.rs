//! CSV as spreadsheets read it (RFC 4180): comma-separated cells, CRLF line ends, a cell in
//! double quotes when it holds a comma, a quote or a line break (its quotes doubled). A cell that
//! a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return) gets a leading apostrophe, so an exported product text can never run in the operator's
//! spreadsheet (OWASP "CSV injection").

/// One cell, quoted and defused as needed.
pub fn cell(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if defused.contains([',', '"', '\n', '\r']) { format!("\"{}\"", defused.replace('"', "\"\"")) } else { defused }
}

/// One line: the cells joined by commas, ended by CRLF.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells.iter().map(|text| cell(text.as_ref())).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reads one line back as a spreadsheet would (the test's own small parser).
    fn parse(line: &str) -> Vec<String> {
        let body = line.strip_suffix("\r\n").expect("a line ends with CRLF");
        let (mut cells, mut current, mut quoted, mut chars) =
            (Vec::new(), String::new(), false, body.chars().peekable());
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    chars.next();
                    current.push('"');
                }
                ('"', _) => quoted = !quoted,
                (',', false) => cells.push(std::mem::take(&mut current)),
                (c, _) => current.push(c),
            }
        }
        cells.push(current);
        cells
    }

    #[test]
    fn plain_cells_stay_as_they_are() {
        assert_eq!(
            line(&["AUD-001", "Aurora Wireless Headphones", "199.00"]),
            "AUD-001,Aurora Wireless Headphones,199.00\r\n"
        );
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        assert_eq!(cell("Warm, dimmable"), "\"Warm, dimmable\"");
        assert_eq!(cell("The \"best\" lamp"), "\"The \"\"best\"\" lamp\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_as_a_formula_is_defused() {
        assert_eq!(cell("=HYPERLINK(\"http://evil.example\")"), "\"'=HYPERLINK(\"\"http://evil.example\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-5"), "'-5");
        assert_eq!(cell("a=b"), "a=b", "only a leading sign counts");
    }

    proptest! {
        #[test]
        fn every_line_reads_back_cell_for_cell(cells in proptest::collection::vec("[a-z,\"\n =+@-]{0,12}", 1..6)) {
            let read = parse(&line(&cells));
            let expected: Vec<String> = cells
                .iter()
                .map(|text| if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.clone() })
                .collect();
            prop_assert_eq!(read, expected);
        }
    }
}
