-- CreateTable
CREATE TABLE "SalesLine" (
    "id" TEXT NOT NULL,
    "externalLineId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "invoiceDate" TIMESTAMP(3) NOT NULL,
    "month" TEXT NOT NULL,
    "product" TEXT NOT NULL,
    "quantity" DOUBLE PRECISION NOT NULL,
    "netAmount" DOUBLE PRECISION NOT NULL,
    "grossMargin" DOUBLE PRECISION NOT NULL,
    "currency" TEXT NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SalesLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccountMonthlySales" (
    "accountId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "revenue" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "margin" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "lineCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AccountMonthlySales_pkey" PRIMARY KEY ("accountId","month")
);

-- CreateIndex
CREATE UNIQUE INDEX "SalesLine_externalLineId_key" ON "SalesLine"("externalLineId");

-- CreateIndex
CREATE INDEX "SalesLine_accountId_month_idx" ON "SalesLine"("accountId", "month");

-- CreateIndex
CREATE INDEX "AccountMonthlySales_month_idx" ON "AccountMonthlySales"("month");

-- AddForeignKey
ALTER TABLE "SalesLine" ADD CONSTRAINT "SalesLine_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountMonthlySales" ADD CONSTRAINT "AccountMonthlySales_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
