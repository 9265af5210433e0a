//! `embed_migrations!` reads the migration folders at compile time; a new
//! migration folder must rebuild the crate, which Cargo only knows from here.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
