//! An error in a user's file, naming the file and, where it applies, the line and column, so
//! the message says where to look: "penguins.csv, line 17, column 'mass': 'n/a' is not a number".

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct TableError {
    pub file: String,
    /// 1-based line of the file.
    pub line: Option<usize>,
    pub column: Option<String>,
    pub message: String,
}

impl TableError {
    /// About the whole file.
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        Self::at(file, None, None, message)
    }

    pub fn at(
        file: &str,
        line: Option<usize>,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.to_string(),
            line,
            column: column.map(str::to_string),
            message: message.into(),
        }
    }

    pub fn column(file: &str, column: &str, message: impl Into<String>) -> Self {
        Self::at(file, None, Some(column), message)
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column '{column}'")?;
        }
        // "data.csv is empty" reads better than "data.csv: is empty".
        let sep = if self.line.is_none() && self.column.is_none() && starts_with_verb(&self.message)
        {
            " "
        } else {
            ": "
        };
        write!(f, "{sep}{}", self.message)
    }
}

fn starts_with_verb(message: &str) -> bool {
    ["is ", "has ", "looks ", "does "]
        .iter()
        .any(|v| message.starts_with(v))
}

impl std::error::Error for TableError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_applies() {
        assert_eq!(
            TableError::file("a.csv", "is empty").to_string(),
            "a.csv is empty"
        );
        assert_eq!(
            TableError::at("a.csv", Some(3), Some("x"), "'n/a' is not a number").to_string(),
            "a.csv, line 3, column 'x': 'n/a' is not a number"
        );
        assert_eq!(
            TableError::column("a.csv", "x", "is empty in every row").to_string(),
            "a.csv, column 'x': is empty in every row"
        );
    }
}
