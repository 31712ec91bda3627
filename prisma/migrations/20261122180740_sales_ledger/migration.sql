-- CreateTable
CREATE TABLE "SalesLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "externalLineId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "invoiceDate" DATETIME NOT NULL,
    "month" TEXT NOT NULL,
    "product" TEXT NOT NULL,
    "quantity" REAL NOT NULL,
    "netAmount" REAL NOT NULL,
    "grossMargin" REAL NOT NULL,
    "currency" TEXT NOT NULL,
    "importedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SalesLine_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AccountMonthlySales" (
    "accountId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "revenue" REAL NOT NULL DEFAULT 0,
    "margin" REAL NOT NULL DEFAULT 0,
    "lineCount" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("accountId", "month"),
    CONSTRAINT "AccountMonthlySales_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "SalesLine_externalLineId_key" ON "SalesLine"("externalLineId");

-- CreateIndex
CREATE INDEX "SalesLine_accountId_month_idx" ON "SalesLine"("accountId", "month");

-- CreateIndex
CREATE INDEX "AccountMonthlySales_month_idx" ON "AccountMonthlySales"("month");
