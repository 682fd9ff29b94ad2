#include "fts5_engine.h"

#include <sqlite3.h>

namespace quire::bench {
namespace {

constexpr const char* kSchema = R"sql(
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = NORMAL;
  CREATE VIRTUAL TABLE docs USING fts5(
      body, tokenize = 'porter unicode61 remove_diacritics 2');
  CREATE TABLE meta(id INTEGER PRIMARY KEY, type TEXT, vendor TEXT, number TEXT, date TEXT,
                    total REAL);
  CREATE INDEX meta_date ON meta(date);
  CREATE INDEX meta_total ON meta(total);
)sql";

// The best matches by bm25 with a snippet, as quire's results carry one.
constexpr const char* kSearch =
    "SELECT docs.rowid, snippet(docs, 0, '[', ']', '...', 12) FROM docs ";

class Fts5Engine : public SearchEngine {
 public:
  explicit Fts5Engine(sqlite3* db) : db_(db) {}
  ~Fts5Engine() override {
    for (sqlite3_stmt* s : {insert_doc_, insert_meta_}) sqlite3_finalize(s);
    sqlite3_close(db_);
  }

  Status Init() {
    QUIRE_RETURN_IF_ERROR(Exec(kSchema));
    QUIRE_RETURN_IF_ERROR(Prepare("INSERT INTO docs(rowid, body) VALUES (?, ?)", &insert_doc_));
    return Prepare("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?)", &insert_meta_);
  }

  const char* name() const override { return "FTS5"; }

  Status Add(const BenchDocument& doc, const store::NewDocument&, uint64_t index) override {
    if (added_ % kFtsTransactionRows == 0) QUIRE_RETURN_IF_ERROR(Exec("BEGIN"));
    const auto id = static_cast<sqlite3_int64>(index + 1);
    sqlite3_bind_int64(insert_doc_, 1, id);
    sqlite3_bind_text(insert_doc_, 2, doc.body.data(), int(doc.body.size()), SQLITE_STATIC);
    QUIRE_RETURN_IF_ERROR(Step(insert_doc_));
    sqlite3_bind_int64(insert_meta_, 1, id);
    int column = 2;
    for (const std::string* text : {&doc.type, &doc.vendor, &doc.number, &doc.date}) {
      sqlite3_bind_text(insert_meta_, column++, text->data(), int(text->size()), SQLITE_STATIC);
    }
    sqlite3_bind_double(insert_meta_, column, std::stod(doc.total));
    QUIRE_RETURN_IF_ERROR(Step(insert_meta_));
    if (++added_ % kFtsTransactionRows == 0) return Exec("COMMIT");
    return Status::Ok();
  }

  Status Finish() override {
    if (added_ % kFtsTransactionRows != 0) QUIRE_RETURN_IF_ERROR(Exec("COMMIT"));
    return Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

  bool Supports(const BenchQuery& query) const override { return !query.fts_match.empty(); }

  Result<int> Run(const BenchQuery& query) override {
    const std::string sql = std::string(kSearch) +
                            (query.fts_where.empty() ? "" : "JOIN meta m ON m.id = docs.rowid ") +
                            "WHERE docs MATCH ?1 " +
                            (query.fts_where.empty() ? "" : "AND " + query.fts_where + " ") +
                            "ORDER BY rank LIMIT " + std::to_string(kResultLimit);
    sqlite3_stmt* statement = nullptr;
    QUIRE_RETURN_IF_ERROR(Prepare(sql.c_str(), &statement));
    sqlite3_bind_text(statement, 1, query.fts_match.c_str(), -1, SQLITE_TRANSIENT);
    int rows = 0;
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) ++rows;
    sqlite3_finalize(statement);
    if (rc != SQLITE_DONE) return Error(query.fts_match);
    return rows;
  }

 private:
  Status Error(const std::string& what) {
    return Status::Internal(what + ": " + sqlite3_errmsg(db_));
  }
  Status Exec(const char* sql) {
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK ? Status::Ok()
                                                                          : Error(sql);
  }
  Status Prepare(const char* sql, sqlite3_stmt** statement) {
    return sqlite3_prepare_v2(db_, sql, -1, statement, nullptr) == SQLITE_OK ? Status::Ok()
                                                                             : Error(sql);
  }
  Status Step(sqlite3_stmt* statement) {
    const int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    return rc == SQLITE_DONE ? Status::Ok() : Error("inserting a row");
  }

  sqlite3* db_;
  sqlite3_stmt* insert_doc_ = nullptr;
  sqlite3_stmt* insert_meta_ = nullptr;
  uint64_t added_ = 0;
};

}  // namespace

Result<std::unique_ptr<SearchEngine>> OpenFts5(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return Status::IoError("cannot create the SQLite database " + path);
  }
  auto engine = std::make_unique<Fts5Engine>(db);
  QUIRE_RETURN_IF_ERROR(engine->Init());
  return std::unique_ptr<SearchEngine>(std::move(engine));
}

}  // namespace quire::bench
