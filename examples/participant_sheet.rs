//! Writes a participant sheet for `bench/import.sh`: `ROWS` people with names, roles, phones,
//! CCCDs and addresses, in the import's Vietnamese headings.
//!
//!     cargo run --release --example participant_sheet -- 100000 /tmp/people.xlsx

use ngayhoi::participants::model::ParticipantRole;
use ngayhoi::participants::sheet::{Column, write_xlsx};

const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thanh"];
const GIVEN: [&str; 10] = ["An", "Bình", "Cường", "Dũng", "Đức", "Hà", "Hạnh", "Khai", "Lan", "Ánh"];

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let rows: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let path = args.next().unwrap_or_else(|| "people.xlsx".into());
    let people: Vec<Vec<String>> = (0..rows)
        .map(|i| {
            let name = format!("{} {} {}", FAMILY[i % 8], MIDDLE[i / 8 % 6], GIVEN[i / 48 % 10]);
            let role = ParticipantRole::ALL[i % ParticipantRole::ALL.len()];
            vec![
                name,
                role.label().to_owned(),
                format!("09{:08}", i),
                format!("079{}{:08}", if i % 2 == 0 { "0" } else { "1" }, 85_000_000 + i),
                format!("{} đường Lũy Bán Bích, khu phố {}", i % 300 + 1, i % 40 + 1),
            ]
        })
        .collect();
    let headings = [Column::FullName, Column::Role, Column::Phone, Column::Cccd, Column::Address].map(Column::heading);
    std::fs::write(&path, write_xlsx("Người tham dự", &headings, &people)?).map_err(|err| err.to_string())?;
    println!("{rows} rows → {path}");
    Ok(())
}
