//! A synthetic city for benchmarks: `--departments N` departments × `--years Y` years of
//! consistent canonical data (see `fiscal_lens::synth` and `docs/BENCHMARKS.md`).
//!
//! `cargo run --release --example synth -- --departments 127 --years 10 --out /tmp/city`

use std::path::PathBuf;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let opt = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let departments: usize = opt("--departments")
        .unwrap_or_else(|| "10".into())
        .parse()?;
    let years: i32 = opt("--years").unwrap_or_else(|| "10".into()).parse()?;
    let seed: u64 = opt("--seed").unwrap_or_else(|| "1".into()).parse()?;
    let dir = PathBuf::from(opt("--out").ok_or("--out DIR is required")?);
    let rows = fiscal_lens::synth::write_city(&dir, departments, years, seed)?;
    println!(
        "{departments} 个部门 × {years} 年：{rows} 行金额 → {}",
        dir.display()
    );
    Ok(())
}
