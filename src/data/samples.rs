//! Real datasets shipped inside the wasm (`include_str!`), so trying the upload path needs no
//! file and no request. Sources and licences: assets/README.md.

/// A bundled file, with the target the page proposes for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    /// The file name shown (and used in messages).
    pub name: &'static str,
    pub title: &'static str,
    /// The target column; empty for text.
    pub target: &'static str,
    pub source: &'static str,
    pub licence: &'static str,
    #[serde(skip)]
    pub text: &'static str,
}

pub const SAMPLES: [Sample; 4] = [
    Sample {
        name: "iris.csv",
        title: "Iris flowers: 150 rows, 4 measurements, 3 species",
        target: "species",
        source: "R. A. Fisher (1936), via scikit-learn's sklearn/datasets/data/iris.csv",
        licence: "CC BY 4.0 (UCI Machine Learning Repository)",
        text: include_str!("../../assets/datasets/iris.csv"),
    },
    Sample {
        name: "penguins.csv",
        title: "Palmer penguins: 344 rows, measurements, island and sex (some missing), 3 species",
        target: "species",
        source: "Horst, Hill & Gorman (2020), palmerpenguins; Palmer Station LTER",
        licence: "CC0",
        text: include_str!("../../assets/datasets/penguins.csv"),
    },
    Sample {
        name: "wine.csv",
        title: "Wine: 178 rows, 13 chemical measurements, 3 cultivars",
        target: "cultivar",
        source: "Forina et al., UCI Wine recognition data, via scikit-learn's wine_data.csv",
        licence: "CC BY 4.0 (UCI Machine Learning Repository)",
        text: include_str!("../../assets/datasets/wine.csv"),
    },
    Sample {
        name: "sonnets.txt",
        title: "Seven of Shakespeare's sonnets: a character-level language model",
        target: "",
        source: "William Shakespeare, Sonnets (1609)",
        licence: "Public domain",
        text: super::CORPUS,
    },
];

pub fn sample(name: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.name == name)
}
